import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { z } from 'zod';
import { App } from './App.tsx';
import { ConsoleController } from './console-controller.ts';
import { ControllerContext } from './controller-context.ts';
import { detectShell } from './shell.ts';
import './styles.css';

// zod would probe `new Function` for speed; the console's CSP forbids eval, so don't.
z.config({ jitless: true });

async function boot(root: HTMLElement): Promise<void> {
  const shell = await detectShell();
  const controller = new ConsoleController(shell, window.sessionStorage);
  controller.start();
  createRoot(root).render(
    <StrictMode>
      <ControllerContext.Provider value={controller}>
        <App />
      </ControllerContext.Provider>
    </StrictMode>,
  );
}

const root = document.getElementById('root');
if (root) {
  boot(root).catch((error: unknown) => {
    console.error('the console could not start', error);
    root.textContent = 'The console could not start. Restart it; if this happens again, call IT support.';
  });
}
