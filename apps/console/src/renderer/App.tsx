import { SignIn } from './SignIn.tsx';
import { Workspace } from './Workspace.tsx';
import { useSession } from './session-store.ts';

export function App() {
  const phase = useSession((s) => s.phase);
  return phase === 'signed-in' || phase === 'resuming' ? <Workspace /> : <SignIn />;
}
