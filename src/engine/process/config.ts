// What the engine process needs from the configuration loader (src/config/load.ts). The engine is written
// against this structural subset so that it can be driven by an injected loader in tests; the real
// LoadedConfig satisfies it.
import type { AregHome } from '../../home.js';
import type { AdvancedConfig, PortType } from '../../config/view.js';
import type { LoadedConfig } from '../../config/load.js';

export type { PortType, LoadedConfig };

/** The fields of /Radius/Advanced the engine lifecycle itself uses. */
export type AdvancedView = Pick<
  AdvancedConfig,
  'traceLevel' | 'logDirectory' | 'logFileSize' | 'logFileCount' | 'traceFileSize' | 'traceFileCount' | 'logServerActivity'
>;

export interface EngineConfigView {
  advanced: AdvancedView;
  ports: { port: number; type: PortType }[];
  /** Addresses to bind; empty = all. */
  interfaces: string[];
  diameter: { transport: { identity: string; realm: string; tcpListenPort: number } | undefined };
}

export interface LoadedConfigView<C extends EngineConfigView = EngineConfigView> {
  revision: number;
  savedAt: string;
  config: C;
}

export type ConfigLoader<C extends EngineConfigView = EngineConfigView> = (home: AregHome) => Promise<LoadedConfigView<C>>;

export interface ConfigProblem {
  path: string;
  message: string;
}

/** The problems of a ConfigLoadError (duck-typed, so that this module does not depend on the loader), or
 * undefined for any other error. */
export function configProblems(err: unknown): ConfigProblem[] | undefined {
  if (err instanceof Error && Array.isArray((err as { problems?: unknown }).problems)) {
    return ((err as unknown as { problems: unknown[] }).problems).map((p) => {
      const o = (p ?? {}) as { path?: unknown; message?: unknown };
      return { path: String(o.path ?? ''), message: String(o.message ?? p) };
    });
  }
  return undefined;
}

/** One-line reason of a load failure: `2 problems: /Radius/Clients/x: IPAddress is required; …`. */
export function describeLoadError(err: unknown): string {
  const problems = configProblems(err);
  if (problems && problems.length > 0) {
    const list = problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)).join('; ');
    return `${problems.length} configuration problem${problems.length === 1 ? '' : 's'}: ${list}`;
  }
  return err instanceof Error ? err.message : String(err);
}

/** The real loader (src/config/load.ts), imported lazily so that tests of this module need no store. */
export async function savedConfigLoader(): Promise<(home: AregHome) => Promise<LoadedConfig>> {
  const mod = await import('../../config/load.js');
  return mod.loadSavedConfig;
}
