import { AI_KEYS, COMMAND_KEYS, type ToolCommand, toolKey } from '../keys.ts';
import { closeHelp, useHelp } from './help-store.ts';

interface Row {
  caps: readonly string[];
  label: string;
}

const tools = (...commands: ToolCommand[]): string[] => commands.map((c) => toolKey(c).cap);

const SECTIONS: readonly { name: string; rows: readonly Row[] }[] = [
  {
    name: 'Decision',
    rows: [
      { caps: [COMMAND_KEYS.clear], label: 'Clear the bag' },
      { caps: [COMMAND_KEYS.search], label: 'Send the bag to search: mark regions, a note, then Enter (Esc goes back)' },
      { caps: [COMMAND_KEYS['toggle-availability']], label: 'Break / available' },
    ],
  },
  {
    name: 'Image',
    rows: [
      { caps: tools('mode-colour'), label: 'Material colour' },
      { caps: tools('mode-grayscale'), label: 'Grayscale (high energy)' },
      { caps: tools('inverse'), label: 'Inverse' },
      { caps: tools('edge'), label: 'Edge enhancement' },
      { caps: tools('darker', 'brighter'), label: 'Darker / brighter (gamma)' },
      { caps: tools('mark'), label: 'Mark impenetrable areas (red hatch)' },
    ],
  },
  {
    name: 'Material and density',
    rows: [
      { caps: tools('strip-organic'), label: 'Organic strip (OS): hide organics' },
      { caps: tools('strip-inorganic'), label: 'Inorganic strip (IS/MS): hide inorganic and metal' },
      { caps: tools('slice'), label: 'Density slice on / off' },
      { caps: tools('slice-down', 'slice-up'), label: 'Slice window less / more dense' },
      { caps: tools('slice-narrow', 'slice-widen'), label: 'Slice window narrower / wider' },
    ],
  },
  {
    name: 'Zoom and pan',
    rows: [
      { caps: tools('zoom-in', 'zoom-out'), label: 'Zoom in / out (up to 16×)' },
      { caps: tools('zoom-reset'), label: 'Fit the whole bag' },
      { caps: tools('pan-left', 'pan-right', 'pan-up', 'pan-down'), label: 'Pan' },
      { caps: ['Drag'], label: 'Pan with the mouse' },
      { caps: ['Wheel'], label: 'Zoom at the pointer' },
    ],
  },
  {
    name: 'AI boxes',
    rows: [...AI_KEYS.map((k) => ({ caps: [k.key], label: k.label })), { caps: ['Click'], label: "An AI box's label marks it, like T" }],
  },
  {
    name: 'Other',
    rows: [
      { caps: tools('boxes'), label: "Hide / show the machine's boxes" },
      { caps: tools('reset'), label: 'Reset every tool' },
      { caps: tools('help'), label: 'This help (Esc closes it)' },
    ],
  },
];

/** Every key of the workspace, on `?`. */
export function HelpOverlay() {
  const open = useHelp((s) => s.open);
  if (!open) return null;
  return (
    <div className="help-backdrop" onClick={() => closeHelp()}>
      <section className="help" role="dialog" aria-modal="false" aria-label="Keys" data-testid="help-overlay" onClick={(event) => event.stopPropagation()}>
        <header>
          <h2>Keys</h2>
          <button type="button" className="help-close" onClick={() => closeHelp()} aria-label="Close the help">
            <kbd>Esc</kbd>
          </button>
        </header>
        <div className="help-sections">
          {SECTIONS.map((section) => (
            <dl key={section.name} className="help-section">
              <div className="help-heading">{section.name}</div>
              {section.rows.map((row) => (
                <div key={row.label} className="help-row">
                  <dt>
                    {row.caps.map((cap) => (
                      <kbd key={cap}>{cap}</kbd>
                    ))}
                  </dt>
                  <dd>{row.label}</dd>
                </div>
              ))}
            </dl>
          ))}
        </div>
        <p className="help-note">Every tool, zoom included, resets when the next bag arrives.</p>
      </section>
    </div>
  );
}
