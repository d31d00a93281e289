/**
 * Sandboxed preload (bundled to CommonJS: sandboxed preloads cannot be ES modules). It exposes
 * exactly one thing to the page: `window.clearway`, the typed bridge built from the IPC map.
 * No Node, no ipcRenderer, no generic "send any channel" function reaches the renderer.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { z } from 'zod';
import { createBridge } from '../common/ipc.ts';

// zod probes `new Function` unless told not to; the console's CSP forbids eval.
z.config({ jitless: true });

contextBridge.exposeInMainWorld('clearway', createBridge(ipcRenderer));
