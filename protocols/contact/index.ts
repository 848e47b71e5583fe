// `/gini/contact/1` — contact sync (docs/protocol.md §7).
import type { Stream } from '@libp2p/interface'
import { frameChannel, type FrameChannel } from '../common/index.js'
import { CONTACT_FRAME_MAX_BYTES } from './constants.js'
import { ContactMessage } from './pb/contact.js'

export { CONTACT_PROTOCOL, CONTACT_FRAME_MAX_BYTES, VCARD_MAX_BYTES, PPK_BYTES, BINDING_BYTES, CONTACT_EXCHANGE_TIMEOUT_MS } from './constants.js'
export { buildVCard, parseVCard, photoDataUri, displayName, mailtoUri, PROFILE_PHOTO_MAX_BYTES } from './vcard.js'
export type { Profile, ParsedVCard, ProfilePhoto, PhotoMediaType } from './vcard.js'
export { exchangeContactCards, verifyContactCard, verifyPeerIdProof, decodeMultiaddr, PeerIdNotProvenError } from './peer.js'
export type { OwnCard, ReceivedCard, ContactExchangeOptions } from './peer.js'
export { ContactMessage, ContactCard } from './pb/contact.js'

/** A /gini/contact/1 stream as ContactMessage frames, refused beyond CONTACT_FRAME_MAX_BYTES. */
export function contactChannel (stream: Stream): FrameChannel<ContactMessage> {
  return frameChannel(stream, ContactMessage, CONTACT_FRAME_MAX_BYTES)
}
