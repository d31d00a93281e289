/**
 * Electron main process: one locked-down window that shows the renderer from app://console,
 * plus the IPC handlers of the typed map (shell config, decision outbox on disk).
 */
import { BrowserWindow, type IpcMainInvokeEvent, app, ipcMain, protocol, session } from 'electron';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { handle } from '../common/ipc.ts';
import {
  APP_ENTRY_URL,
  APP_SCHEME,
  appResponseHeaders,
  contentTypeOf,
  flagValue,
  isConsoleUrl,
  resolveAppFile,
  resolveHubUrl,
} from './config.ts';
import { outboxFile } from './outbox-file.ts';

// Built layout: dist/electron/{main.js,preload.cjs} and dist/renderer/.
const here = path.dirname(fileURLToPath(import.meta.url));
const rendererDir = path.join(here, '..', 'renderer');
const preloadPath = path.join(here, 'preload.cjs');

// Must happen before `ready`: a standard, secure scheme gets an origin of its own, so 'self',
// fetch and cross-origin isolation behave as on https.
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
]);

const hubUrl = hubUrlOrExit();

function hubUrlOrExit(): string {
  try {
    return resolveHubUrl(process.argv, process.env);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    return process.exit(2);
  }
}

// The same profile however the app is launched (folder or script), or a fresh one for tests.
app.setPath('userData', flagValue(process.argv, 'user-data-dir') ?? path.join(app.getPath('appData'), 'Clearway Console'));

// Two consoles on one profile would overwrite each other's outbox file.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    const [window] = BrowserWindow.getAllWindows();
    if (window) {
      if (window.isMinimized()) window.restore();
      window.focus();
    }
  });
  app.on('web-contents-created', (_event, contents) => {
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    const stayOnConsole = (event: { preventDefault(): void }, url: string): void => {
      if (!isConsoleUrl(url)) event.preventDefault();
    };
    contents.on('will-navigate', stayOnConsole);
    contents.on('will-redirect', stayOnConsole);
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
  app.on('window-all-closed', () => app.quit());
  app.whenReady().then(start, (error: unknown) => {
    console.error('console failed to start', error);
    app.exit(1);
  });
}

async function start(): Promise<void> {
  // No camera, microphone, notifications, geolocation…: the console needs none of them.
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);

  protocol.handle(APP_SCHEME, async (request) => {
    const file = resolveAppFile(request.url, rendererDir);
    if (file === null) return new Response('Not found', { status: 404 });
    try {
      const body = await readFile(file);
      return new Response(new Uint8Array(body), { headers: appResponseHeaders(hubUrl, contentTypeOf(file)) });
    } catch {
      return new Response('Not found', { status: 404 });
    }
  });

  const outbox = outboxFile(path.join(app.getPath('userData'), 'outbox.json'));
  const trust = { trust: (event: IpcMainInvokeEvent) => isConsoleUrl(event.senderFrame?.url) };
  // The build's own version: app.getVersion() would say Electron's when main.js is launched directly.
  handle(ipcMain, 'getConfig', () => ({ hubUrl, appVersion: __CLEARWAY_VERSION__, shell: 'electron' as const }), trust);
  handle(ipcMain, 'outboxLoad', () => outbox.load(), trust);
  handle(ipcMain, 'outboxSave', (entries) => outbox.save(entries), trust);

  const window = new BrowserWindow({
    width: 1600,
    height: 1000,
    minWidth: 1024,
    minHeight: 700,
    show: false,
    backgroundColor: '#0b0f14',
    title: 'Clearway',
    autoHideMenuBar: true,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  window.once('ready-to-show', () => window.show());
  await window.loadURL(APP_ENTRY_URL);
}
