/** Where a seed comes from: an object, the path of a JSON seed file, or the built-in seed. */
import { DEFAULT_EMULATOR_SEED } from "./default-seed";
import {
  type EmulatorSeed,
  type EmulatorSeedInput,
  loadEmulatorSeedFile,
  parseEmulatorSeed,
} from "./seed";

export async function resolveEmulatorSeed(
  seed: EmulatorSeedInput | string | undefined,
): Promise<EmulatorSeed> {
  if (typeof seed === "string") return loadEmulatorSeedFile(seed);
  return parseEmulatorSeed(seed ?? DEFAULT_EMULATOR_SEED);
}
