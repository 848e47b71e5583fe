// `CardUpdate` (docs/protocol.md §19): a signed profile change alone on its own `/gini/session/1`
// stream between long-term identities, like AddressUpdate (§8.4). The sender writes one frame and
// closes; the receiver answers with a clean close (accepted) or Error{INVALID_CARD} (refused). The
// signature (protocols/crypto/card-update.ts) and the replay check are the caller's.
import { InvalidCardError, errorFrame, readOrEnd, refuse, watchRemoteClose, writeFrame, type FrameChannel } from '../common/index.js'
import type { CardUpdateFields } from '../crypto/index.js'
import type { PhotoMediaType } from '../contact/index.js'
import { CARD_UPDATE_EMAIL_MAX_BYTES, CARD_UPDATE_NAME_MAX_BYTES, CARD_UPDATE_PHOTO_MAX_BYTES } from './constants.js'
import type { CardUpdate, SessionMessage } from './pb/session.js'

const SIGNATURE_BYTES = 64

/** A photo's type by its magic bytes (JPEG, PNG, WebP), else undefined. */
export function photoMediaType (b: Uint8Array): PhotoMediaType | undefined {
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg'
  if (b.length >= 8 && [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((x, i) => b[i] === x)) return 'image/png'
  const ascii = (from: number, to: number): string => String.fromCharCode(...b.subarray(from, to))
  if (b.length >= 12 && ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'image/webp'
  return undefined
}

/** The update's fields if every one is within §19's bounds (the signature is not checked here). */
export function cardUpdateFields (u: CardUpdate): CardUpdateFields | undefined {
  const name = new TextEncoder().encode(u.name).length
  const email = new TextEncoder().encode(u.email).length
  if (u.seq < 1n || name < 1 || name > CARD_UPDATE_NAME_MAX_BYTES || u.name.trim() === '') return undefined
  if (email > CARD_UPDATE_EMAIL_MAX_BYTES || u.signature.length !== SIGNATURE_BYTES) return undefined
  if (u.photo.length > CARD_UPDATE_PHOTO_MAX_BYTES || (u.photo.length > 0 && photoMediaType(u.photo) == null)) return undefined
  return { seq: u.seq, name: u.name, email: u.email, photo: u.photo }
}

/** Writes the update, closes our side and reads the verdict: a clean close is `accepted`, an Error frame `refused`. */
export async function sendCardUpdate (channel: FrameChannel<SessionMessage>, update: CardUpdate, signal?: AbortSignal): Promise<'accepted' | 'refused'> {
  const watch = watchRemoteClose(channel.stream)
  try {
    await writeFrame(channel, { cardUpdate: { ...update, photo: new Uint8Array(update.photo), signature: new Uint8Array(update.signature) } }, signal)
    await channel.close()
    const end = await readOrEnd(channel, watch, signal)
    if (end === undefined) return 'accepted'
    if (end.error != null) return 'refused'
    throw new Error('unexpected frame after a CardUpdate')
  } catch (err) {
    channel.abort(err instanceof Error ? err : new Error(String(err)))
    throw err
  } finally {
    watch.stop()
  }
}

/** The receiver's answer: a clean close, or Error{INVALID_CARD} then close (§19: "card unchanged"). */
export async function answerCardUpdate (channel: FrameChannel<SessionMessage>, accepted: boolean): Promise<void> {
  if (accepted) await channel.close().catch(() => { channel.abort(new Error('close failed')) })
  else await refuse(channel, errorFrame('INVALID_CARD'), new InvalidCardError())
}
