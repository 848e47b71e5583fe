// Two GiniNodes paired in this process, for benchmarks that need contacts before they measure.
import { join } from 'node:path'
import { GiniNode, FileStorage, createPeerNode } from '../../peer/index.js'

/** A GiniNode in `<dir>/<name>` with `name` on its card. */
export async function openNamedNode (dir: string, name: string): Promise<GiniNode> {
  const node = await GiniNode.open({ storage: new FileStorage(join(dir, name)), createPeerNode })
  await node.setProfile({ name })
  return node
}

/** `alice` invites at `relay`, `bob` accepts the code she shows: both have the other as a contact. */
export async function pairNodes (alice: GiniNode, bob: GiniNode, relay: string): Promise<void> {
  let gotCode: (code: string) => void = () => {}
  const shown = new Promise<string>(resolve => { gotCode = resolve })
  const invite = alice.invite({ relay, onProgress: (e) => { if (e.event === 'flash-code') gotCode(e.code) } })
  await Promise.all([invite, bob.accept(await shown, { relay })])
}
