import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_HUB_URL, appResponseHeaders, contentSecurityPolicy, isConsoleUrl, resolveAppFile, resolveHubUrl } from './config.ts';

describe('hub URL', () => {
  it('takes --hub=, then CLEARWAY_HUB_URL, then the default', () => {
    expect(resolveHubUrl(['electron', '.', '--hub=http://hub.lane3:4300'], { CLEARWAY_HUB_URL: 'http://env:1' })).toBe('http://hub.lane3:4300');
    expect(resolveHubUrl(['electron', '.'], { CLEARWAY_HUB_URL: 'https://hub.example/' })).toBe('https://hub.example');
    expect(resolveHubUrl([], {})).toBe(DEFAULT_HUB_URL);
  });

  it('refuses what is not an http(s) URL', () => {
    expect(() => resolveHubUrl(['--hub=localhost:4300'], {})).toThrow(/http/);
    expect(() => resolveHubUrl(['--hub=file:///etc/passwd'], {})).toThrow(/http/);
    expect(() => resolveHubUrl(['--hub=not a url'], {})).toThrow(/not a URL/);
  });
});

describe('content security policy', () => {
  it('lets the renderer talk to the hub only, over http and ws', () => {
    const csp = contentSecurityPolicy('http://localhost:4300');
    expect(csp).toContain("connect-src 'self' http://localhost:4300 ws://localhost:4300;");
    expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval';");
    expect(csp).not.toContain("'unsafe-eval'");
    expect(csp).not.toContain("'unsafe-inline'");
    expect(contentSecurityPolicy('https://hub.example:8443')).toContain('connect-src \'self\' https://hub.example:8443 wss://hub.example:8443;');
  });

  it('isolates the renderer cross-origin', () => {
    const headers = appResponseHeaders('http://localhost:4300', 'text/html');
    expect(headers['Cross-Origin-Opener-Policy']).toBe('same-origin');
    expect(headers['Cross-Origin-Embedder-Policy']).toBe('require-corp');
    expect(headers['Content-Security-Policy']).toContain('connect-src');
  });
});

describe('app:// files', () => {
  const root = path.resolve('/opt/clearway/renderer');
  it('maps console URLs into the renderer folder', () => {
    expect(resolveAppFile('app://console/', root)).toBe(path.join(root, 'index.html'));
    expect(resolveAppFile('app://console/index.html', root)).toBe(path.join(root, 'index.html'));
    expect(resolveAppFile('app://console/assets/index-abc.js?v=1', root)).toBe(path.join(root, 'assets', 'index-abc.js'));
  });

  it('refuses other hosts and anything outside the folder', () => {
    expect(resolveAppFile('app://elsewhere/index.html', root)).toBeNull();
    // The URL parser resolves plain dot segments itself: they cannot climb out of the folder.
    expect(resolveAppFile('app://console/../../etc/passwd', root)).toBe(path.join(root, 'etc', 'passwd'));
    expect(resolveAppFile('app://console/%2e%2e/%2e%2e/etc/passwd', root)).toBe(path.join(root, 'etc', 'passwd'));
    // Encoded slashes survive the parser; decoded, they would climb: refused.
    expect(resolveAppFile('app://console/..%2f..%2fetc/passwd', root)).toBeNull();
    expect(resolveAppFile('app://console/%00', root)).toBeNull();
    expect(resolveAppFile('https://console/index.html', root)).toBeNull();
  });

  it('knows which URLs are the console', () => {
    expect(isConsoleUrl('app://console/index.html')).toBe(true);
    expect(isConsoleUrl('https://evil.example/')).toBe(false);
    expect(isConsoleUrl(undefined)).toBe(false);
    expect(isConsoleUrl('::')).toBe(false);
  });
});
