// The sentence for each pairing event, written once for the CLI (peer/cli/output.ts) and the web
// client (client-web/src/words.ts), with the step of the four a person sees that it belongs to.
// The flash code itself is shown by each UI in its own way, so it has no sentence here.
import type { PairingEvent } from './events.js'

/** The four steps a person sees, in order: waiting, verifying, connecting, syncing. */
export type PairingStep = 'waiting' | 'verifying' | 'connecting' | 'syncing'

export interface PairingWords {
  /** The step the event puts the pairing in; `done` once the contact is added. */
  step: PairingStep | 'done'
  text: string
}

/** The step and sentence for an event; undefined for the flash code. */
export function describePairingEvent (e: PairingEvent): PairingWords | undefined {
  switch (e.event) {
    case 'flash-code': return undefined
    case 'waiting':
      if (e.for === 'peer') return { step: 'waiting', text: 'Waiting for your contact to enter the code…' }
      if (e.for === 'match') return { step: 'waiting', text: 'Looking for the code at the relay…' }
      return { step: 'connecting', text: 'Connecting to your contact…' }
    case 'matched': return { step: 'verifying', text: 'Found the other side. Checking the code on both sides…' }
    case 'verified': return { step: 'verifying', text: 'Verified: both sides know the same code.' }
    case 'connected': return { step: 'connecting', text: connectedText(e) }
    case 'syncing': return { step: 'syncing', text: 'Exchanging contact cards…' }
    case 'contact-added': return { step: 'done', text: `Added ${e.name} to your contacts.${e.sameNameAs != null ? ` Another contact is also called ${e.name}: this is a different identity.` : ''}` }
    case 'key-change': return { step: 'done', text: keyChangeText(e) }
  }
}

function connectedText (e: Extract<PairingEvent, { event: 'connected' }>): string {
  if (e.path === 'turn') return 'Connected over WebRTC through a TURN server (no direct path through these NATs).'
  return e.direct ? 'Connected directly (WebRTC).' : 'Connected through the relay (a direct connection was not possible).'
}

/** §18.1: the warning of a re-pairing that brought a new permanent key. */
export function keyChangeText (e: { name: string }): string {
  return `Warning: ${e.name} paired again with a different permanent key (a new device or a reinstall, or someone else holding their identity). ` +
    'Nothing was replaced: the old key stays in use until you accept or reject the new one. Compare the new safety number with them first.'
}
