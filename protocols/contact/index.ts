// `/gini/contact/1` — contact sync (PROTOCOL.md §4).
export { CONTACT_PROTOCOL, CONTACT_FRAME_MAX_BYTES, VCARD_MAX_BYTES, PPK_BYTES, BINDING_BYTES, CONTACT_EXCHANGE_TIMEOUT_MS } from './constants.js'
export { buildVCard, parseVCard, photoDataUri, displayName, mailtoUri, PROFILE_PHOTO_MAX_BYTES } from './vcard.js'
export type { Profile, ParsedVCard, ProfilePhoto, PhotoMediaType } from './vcard.js'
export { exchangeContactCards, verifyContactCard, verifyPeerIdProof, decodeMultiaddr, PeerIdNotProvenError } from './peer.js'
export type { OwnCard, ReceivedCard, ContactExchangeOptions } from './peer.js'
export { ContactMessage, ContactCard } from './pb/contact.js'
