// `/gini/chat/1` — messages between contacts (docs/protocol.md §15).
import type { Stream } from '@libp2p/interface'
import { frameChannel } from '../common/index.js'
import { CHAT_FRAME_MAX_BYTES } from './constants.js'
import { ChatMessage } from './pb/chat.js'
import type { ChatChannel } from './peer.js'

export * from './constants.js'
export { contentProblem, type ChatKind } from './content.js'
export { envelopeFromWire, envelopeToWire, type EnvelopeRecord } from './envelope.js'
export { showConversation, compareShown, type Author, type ShownMessage, type StoredEnvelope } from './conversation.js'
export { receiveChat, ChatSender, type ChatChannel, type ReceiveChatOptions } from './peer.js'
export { ChatMessage, ChatEnvelope, ChatAck, ChatType } from './pb/chat.js'

/** A framed `/gini/chat/1` channel on `stream` with the §15.2 frame limit. */
export function chatChannel (stream: Stream): ChatChannel {
  return frameChannel(stream, ChatMessage, CHAT_FRAME_MAX_BYTES)
}
