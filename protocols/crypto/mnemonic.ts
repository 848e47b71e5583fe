// The identity mnemonic (docs/protocol.md §20.2): one 32-byte root entropy shown as 24 BIP-39 words
// (English list, BIP-39 checksum), and the two long-term keys derived from it.
import { entropyToMnemonic, mnemonicToEntropy } from '@scure/bip39'
import { wordlist } from '@scure/bip39/wordlists/english.js'
import { utf8 } from './bytes.js'
import { H } from './hash.js'

export const IDENTITY_ROOT_BYTES = 32
/** 32 bytes of entropy + 8 checksum bits = 264 bits = 24 words of 11 bits. */
export const MNEMONIC_WORDS = 24

const ED25519_LABEL = utf8('gini/identity/ed25519/1')
const X25519_LABEL = utf8('gini/identity/x25519/1')
const WORD_INDEX = new Map(wordlist.map((w, i) => [w, i]))

/** The keys a root yields: `H(32, label, key = root)` for each label of §20.2. */
export interface IdentityRootKeys {
  /** The Ed25519 seed of the long-term libp2p key (the peer id). */
  ed25519Seed: Uint8Array
  /** The X25519 private key, the permanent PPK. */
  ppkPrivate: Uint8Array
}

export function deriveIdentityKeys (root: Uint8Array): IdentityRootKeys {
  if (root.length !== IDENTITY_ROOT_BYTES) throw new RangeError('an identity root has 32 bytes')
  return { ed25519Seed: H(32, ED25519_LABEL, root), ppkPrivate: H(32, X25519_LABEL, root) }
}

/** Bad words: `position` is 1-based (absent when the count or the checksum is wrong). Names no word. */
export class MnemonicError extends Error {
  readonly position?: number

  constructor (message: string, position?: number) {
    super(message)
    this.name = 'MnemonicError'
    this.position = position
  }
}

/** The 24 words of 32 bytes (the root, or one raw key of an identity made before §20.2). */
export function bytesToMnemonic (bytes: Uint8Array): string[] {
  if (bytes.length !== IDENTITY_ROOT_BYTES) throw new RangeError('a mnemonic encodes 32 bytes')
  return entropyToMnemonic(bytes, wordlist).split(' ')
}

/**
 * Splits typed text into words: NFKD, lower case, any whitespace (and commas or numbered list
 * marks like "1." that people copy along) between them.
 */
export function splitMnemonic (text: string): string[] {
  return text.normalize('NFKD').toLowerCase().split(/[\s,]+/).filter(w => w !== '' && !/^\d+[.):]?$/.test(w))
}

/**
 * The 32 bytes that `words` (exactly 24) encode. Throws MnemonicError naming the first word not on
 * the list by its position, or a failed checksum (a word changed or two swapped).
 */
export function mnemonicToBytes (words: string[]): Uint8Array {
  if (words.length !== MNEMONIC_WORDS) throw new MnemonicError(`a recovery phrase has ${MNEMONIC_WORDS} words, not ${words.length}`)
  const unknown = words.findIndex(w => !WORD_INDEX.has(w))
  if (unknown >= 0) throw new MnemonicError(`word ${unknown + 1} is not a BIP-39 English word (check its spelling)`, unknown + 1)
  try {
    return mnemonicToEntropy(words.join(' '), wordlist)
  } catch {
    throw new MnemonicError('the checksum does not match: a word is wrong or two are swapped')
  }
}
