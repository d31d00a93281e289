import { type FormEvent, useState } from 'react';
import { useController } from './controller-context.ts';
import { useSession } from './session-store.ts';

export function SignIn() {
  const controller = useController();
  const phase = useSession((s) => s.phase);
  const error = useSession((s) => s.signInError);
  const [officerId, setOfficerId] = useState('');
  const [password, setPassword] = useState('');

  function submit(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    if (officerId.trim() === '' || password === '') return;
    controller.signIn(officerId.trim(), password);
    setPassword('');
  }

  return (
    <main className="sign-in">
      <form className="sign-in-card" onSubmit={submit} aria-labelledby="sign-in-title">
        <div className="brand">
          Clearway <span className="brand-sub">Screening console</span>
        </div>
        <h1 id="sign-in-title">Sign in</h1>
        <label htmlFor="officer-id">Officer ID</label>
        <input
          id="officer-id"
          name="officer-id"
          autoComplete="username"
          autoCapitalize="off"
          spellCheck={false}
          autoFocus
          value={officerId}
          onChange={(e) => setOfficerId(e.target.value)}
        />
        <label htmlFor="password">Password</label>
        <input id="password" name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />
        <button type="submit" className="primary">
          Sign in
        </button>
        <p className="sign-in-status" aria-live="polite">
          {phase === 'signing-in' && !error ? 'Signing in…' : ''}
        </p>
        {error && (
          <p className="sign-in-error" role="alert" data-testid="sign-in-error">
            {error}
          </p>
        )}
        <p className="hub-address">
          Hub {controller.shell.hubUrl} · Console {controller.shell.appVersion}
        </p>
      </form>
    </main>
  );
}
