import { create } from 'zustand';

/** Whether the key help is open; `?` toggles it, Esc closes it. */
export const useHelp = create<{ open: boolean }>()(() => ({ open: false }));

export function toggleHelp(): void {
  useHelp.setState((s) => ({ open: !s.open }));
}

export function closeHelp(): void {
  useHelp.setState({ open: false });
}
