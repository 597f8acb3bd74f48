// Loading the saved tree for the engine: read the newest revision, validate it again
// (the engine never trusts the file), and build the typed view.
import type { AregHome } from '../home.js';
import { ConfigStore } from '../store/store.js';
import type { Problem } from '../tree/validate.js';
import { buildEngineConfig, type EngineConfig } from './view.js';

export interface LoadedConfig {
  revision: number;
  savedAt: string;
  config: EngineConfig;
}

export class ConfigLoadError extends Error {
  constructor(message: string, readonly problems: { path: string; message: string }[] = []) {
    super(message);
  }
}

export async function loadSavedConfig(home: AregHome): Promise<LoadedConfig> {
  let store: ConfigStore;
  let saved;
  try {
    store = await ConfigStore.open(home);
    saved = await store.read();
  } catch (err) {
    throw new ConfigLoadError(`cannot read the saved configuration: ${(err as Error).message}`);
  }
  const errors: Problem[] = store.validate(saved.root).filter((p) => p.severity === 'error');
  if (errors.length) {
    throw new ConfigLoadError(`revision ${saved.meta.revision} is invalid: ${errors.length} error(s)`, errors.map(({ path, message }) => ({ path, message })));
  }
  return { revision: saved.meta.revision, savedAt: saved.meta.savedAt, config: buildEngineConfig(saved.root, store.box, home) };
}
