/** English or 中文 for the dashboard, remembered on this console. */
import { LANGS, setLang, useLang, useT } from './i18n.ts';

export function LanguageSwitch() {
  const t = useT();
  const lang = useLang((s) => s.lang);
  return (
    <div className="lang-switch" role="group" aria-label={t('lang.label')}>
      {LANGS.map((l) => (
        <button key={l.lang} type="button" lang={l.lang} aria-pressed={lang === l.lang} data-testid={`lang-${l.lang}`} onClick={() => setLang(l.lang)}>
          {l.name}
        </button>
      ))}
    </div>
  );
}
