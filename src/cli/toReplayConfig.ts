import { isPresetName, PRESETS } from '../core/params.ts';
import type { EngineConfig } from '../engine/config.ts';
import { usageError } from './errors.ts';

/** The engine config of an offline run over a log: `--config FILE`, or `--preset P` for every chain. */
export async function toReplayConfig(options: { preset?: string; config?: string }): Promise<EngineConfig> {
  if (options.preset !== undefined && options.config !== undefined) {
    throw usageError('give either --preset or --config, not both');
  }
  if (options.config !== undefined) {
    // Loaded only for --config: the config parser brings zod, yaml and viem with it.
    const { readConfigFile } = await import('./readConfigFile.ts');
    const config = await readConfigFile(options.config);
    return {
      ...config.engine,
      defaultPreset: Object.values(config.engine.chains)[0]?.preset ?? 'ethereum',
    };
  }
  const preset = options.preset ?? 'ethereum';
  if (!isPresetName(preset))
    throw usageError(`unknown preset "${preset}": use one of ${Object.keys(PRESETS).join(', ')}`);
  return { chains: {}, defaultPreset: preset };
}
