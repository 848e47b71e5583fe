// Root hooks shared by every suite: libsodium must be ready before any protocol code runs,
// and node-datachannel's native threads must be released so the process can exit.
import { ready } from '../protocols/crypto/index.js'

export const mochaHooks = {
  async beforeAll (): Promise<void> {
    await ready()
  },
  async afterAll (): Promise<void> {
    const ndc = await import('node-datachannel')
    ndc.default.cleanup()
  }
}
