// Every limit of the relay node, named with its unit. libp2p's own
// defaults are made for other jobs (its relay server allows 15 reservations and 128 KiB per
// relayed link), so each one the GSS depends on is set here explicitly; all are overridable in
// RelayOptions. Protocol numbers (TTL, frame limit, field sizes) live in protocols/fc/constants.ts.

/** Listen addresses when none are given: loopback TCP and plain WebSocket (browsers on http://localhost). */
export const DEFAULT_LISTEN_ADDRS = ['/ip4/127.0.0.1/tcp/0', '/ip4/127.0.0.1/tcp/0/ws']

/** File name of the relay's libp2p private key inside its data dir (protobuf form, mode 0600). */
export const IDENTITY_FILE = 'identity.key'

// ---- rate limits on Create/Join (docs/protocol.md §6.5 rule 9) ----------------------------------

/** A peer id may open this many pairings at once (a creator retries FLASH_CODE_IN_USE up to 5 times, §6.6). */
export const RATE_LIMIT_PER_PEER_BURST = 10
/** …and gets one more every 6 s (10 a minute). */
export const RATE_LIMIT_PER_PEER_REFILL_MS = 6_000
/** One IP (many users behind one NAT) may open this many at once… */
export const RATE_LIMIT_PER_IP_BURST = 120
/** …and gets one more every 500 ms (120 a minute). */
export const RATE_LIMIT_PER_IP_REFILL_MS = 500
/** Remembered keys per bucket set (peer ids, IPs); bounds the limiter's memory. */
export const RATE_LIMIT_MAX_TRACKED_KEYS = 100_000

// ---- pending pairings per network (docs/protocol.md §6.5, item 9: bounded, rows never evicted) ----

/**
 * Live NewConnections rows created from one IPv4 or IPv6 address. The token buckets above bound
 * how fast rows come (≈480 live per IP over a 180 s life); this bounds how many one network holds.
 */
export const MAX_PENDING_PER_IP = 64
/** …from one IPv6 /64 (one subscriber), /56 (a home or small site) and /48 (a site). */
export const MAX_PENDING_PER_IP6_64 = 64
export const MAX_PENDING_PER_IP6_56 = 128
export const MAX_PENDING_PER_IP6_48 = 256
/** The last this many rows go only to networks holding fewer than RESERVE_MAX_PER_NET_PENDING rows. */
export const RESERVED_PENDING_PAIRINGS = 1_000
export const RESERVE_MAX_PER_NET_PENDING = 4

// ---- /gini/fc/1 stream limits -------------------------------------------------------------------

/** Concurrent /gini/fc/1 streams one connection may open (a peer uses one per pairing; retries are sequential). */
export const FC_MAX_INBOUND_STREAMS = 8
/** The relay never opens /gini/fc/1 streams itself. */
export const FC_MAX_OUTBOUND_STREAMS = 1

// ---- circuit relay v2 server (docs/protocol.md §6.10: B dials A through this relay) -------------

/** Reservations held at once: one per pairing peer waiting to be dialed (libp2p default: 15). */
export const CIRCUIT_MAX_RESERVATIONS = 4096
/** How long a reservation lasts (libp2p default 2 h); a pairing needs at most PAIRING_TTL_MS. */
export const CIRCUIT_RESERVATION_TTL_MS = 2 * 60 * 60 * 1000
/** How often expired reservations are swept. */
export const CIRCUIT_RESERVATION_CLEAR_INTERVAL_MS = 60_000
/** Bytes per relayed link, both directions together (libp2p default 128 KiB): WebRTC SDP, then contact sync if the upgrade fails. */
export const CIRCUIT_DATA_LIMIT_BYTES = 8n * 1024n * 1024n
/**
 * Life of a relayed link. The server treats this number as milliseconds (AbortSignal.timeout)
 * although the wire field is seconds; clients see it ×1000 (@libp2p/circuit-relay-v2 4.x).
 */
export const CIRCUIT_DURATION_LIMIT_MS = 600_000
/** A hop request must complete within this time. */
export const CIRCUIT_HOP_TIMEOUT_MS = 30_000
/** Concurrent HOP streams per connection: a peer's reservation plus the circuits it dials. */
export const CIRCUIT_MAX_INBOUND_HOP_STREAMS = 64
export const CIRCUIT_MAX_OUTBOUND_HOP_STREAMS = 64
/** Concurrent STOP streams the relay opens to one reserved peer (one per circuit dialed to it). */
export const CIRCUIT_MAX_OUTBOUND_STOP_STREAMS = 64

// ---- connection manager ---------------------------------------------------------------------------

/**
 * Yamux streams one connection may open to the relay at once (libp2p default 1000): a peer's
 * hop streams (CIRCUIT_MAX_INBOUND_HOP_STREAMS), its /gini/fc/1 streams (FC_MAX_INBOUND_STREAMS),
 * CRP, ICE, identify and ping fit well below this.
 */
export const YAMUX_MAX_INBOUND_STREAMS = 128
/** Streams the relay opens on one connection: STOP streams (CIRCUIT_MAX_OUTBOUND_STOP_STREAMS) and a ping. */
export const YAMUX_MAX_OUTBOUND_STREAMS = 128
/**
 * A stream's receive window stays at Yamux's 256 KiB minimum (libp2p lets it grow to 16 MiB): a
 * relayed link carries SDP and contact cards, and each stream can then buffer at most this much.
 */
export const YAMUX_MAX_STREAM_WINDOW_BYTES = 256 * 1024
/** Unread bytes a stream may buffer (libp2p default 4 MiB); the window above already bounds it. */
export const YAMUX_MAX_READ_BUFFER_BYTES = 256 * 1024

/** Open connections at once: two per pending pairing plus reserved peers (libp2p default: 300). */
export const MAX_CONNECTIONS = 2000
/** Connections still in their upgrade at once (libp2p default: 10). */
export const MAX_INCOMING_PENDING_CONNECTIONS = 256
/**
 * New connections per second from one host (libp2p default: 5). Every pairing dials from a fresh
 * identity (§11), and many users may share one NAT address, so the default is far too tight.
 */
export const INBOUND_CONNECTIONS_PER_HOST_PER_SECOND = 100
/**
 * Live inbound connections from one IPv4 or IPv6 address. Many users may share one NAT address,
 * and each pairing uses two connections (a fresh identity each, docs/protocol.md §11), so this is not small; it
 * stops one address from taking every slot (2000 by default).
 */
export const MAX_CONNECTIONS_PER_IP = 128
/** …and from one IPv6 /64, which one subscriber usually holds whole (so addresses in it are free). */
export const MAX_CONNECTIONS_PER_IP6_64 = 128
/** The last this many connection slots go only to networks holding fewer than RESERVE_MAX_PER_NET_CONNECTIONS. */
export const RESERVED_CONNECTIONS = 200
export const RESERVE_MAX_PER_NET_CONNECTIONS = 8
/**
 * A connection that carries no /gini/* or circuit stream and whose peer holds no reservation is
 * closed after this long: it serves nobody and holds a slot (a pairing peer reserves at once).
 */
export const IDLE_CONNECTION_TIMEOUT_MS = 30_000
/** How often idle connections are looked for (so one closes 30–35 s after its last use). */
export const IDLE_SWEEP_INTERVAL_MS = 5_000
/** Yamux keepalive: holds an idle pairing connection open across the 180 s wait (TCP closes idle sockets after 2 min). */
export const YAMUX_KEEPALIVE_INTERVAL_MS = 15_000

/**
 * The relays' private DHT (docs/protocol.md §22.1). A relay without `--bootstrap` serves no DHT at
 * all; one in a network serves it to checked relays only (relay/relay-network.ts).
 */
export const KAD_PROTOCOL = '/gini/kad/1.0.0'

// ---- many relays (docs/protocol.md §22.1; relay/relay-network.ts) ------------------------------

/** /gini/gss/list/1 streams served at once over all connections; more are reset. */
export const GSS_LIST_MAX_STREAMS = 64
/** …per connection (a peer asks once per pairing, a relay once per round). */
export const GSS_LIST_MAX_INBOUND_STREAMS = 2
/** The relay asks each other relay once per round. */
export const GSS_LIST_MAX_OUTBOUND_STREAMS = 2
/** Background checks of unchecked kad peers at once (each costs an identify and a dial). */
export const GSS_LIST_MAX_PENDING_CHECKS = 8
/** Relays one round checks at once (each check is a dial and one list exchange, at most 5 s). */
export const GSS_LIST_CHECK_CONCURRENCY = 8
/** Rounds in a row a listed relay may miss (no answer) before it is dropped: one slow round is not a departure. */
export const GSS_LIST_MAX_MISSES = 2
/** After a change the next round comes after refresh/8, doubling back to the refresh period while quiet. */
export const GSS_LIST_RETRY_DIVISOR = 8
/** A relay refused by a bound (or not a relay) is not checked again for this many refresh periods… */
export const GSS_LIST_REFUSED_ROUNDS = 6
/** …and at most this many such refusals are remembered (oldest forgotten first). */
export const GSS_LIST_MAX_REFUSED = 1024
/** Provider records the DHT stores: one per relay for the one service key, with room. */
export const DHT_MAX_PROVIDER_RECORDS = 1024
/** Providers taken from one round's search; the list holds at most 256 anyway. */
export const DHT_MAX_PROVIDERS_PER_ROUND = 512
/** Concurrent kad streams per connection (kad-dht's default: 32). */
export const DHT_MAX_INBOUND_STREAMS = 4
export const DHT_MAX_OUTBOUND_STREAMS = 4
/** An incoming kad request must complete within this time. */
export const DHT_INCOMING_MESSAGE_TIMEOUT_MS = 10_000
/** A provider record lives this long unless renewed (kad-dht's default: 24 h); relays renew it every round. */
export const DHT_PROVIDE_VALIDITY_MS = 10 * 60_000
/** Expired provider records are swept this often. */
export const DHT_PROVIDER_CLEANUP_MS = 60_000
/** kad-dht's own re-provide (relays provide every round anyway). */
export const DHT_REPROVIDE_INTERVAL_MS = 5 * 60_000
/**
 * On SIGTERM a listed relay leaves the list, refuses new Creates and waits this long at most for
 * its pending pairings (their 180 s life) before the stop of docs/protocol.md §10.
 */
export const RELAY_DRAIN_MS = 180_000

// ---- /gini/crp/1 relay (docs/protocol.md §9.2; protocol numbers in protocols/crp/constants.ts) ---

/** RestoreConnections' SQLite file inside the relay's data dir (in memory without one). */
export const RESTORE_DB_FILE = 'restore.sqlite'
/** §9.2 lifetimes: the sweep runs on start and then hourly (never less often than a row lives, for short test TTLs). */
export const CRP_SWEEP_INTERVAL_MS = 3_600_000
/** Rows deleted or updated per sweep statement: each batch blocks the event loop only briefly. */
export const CRP_SWEEP_BATCH_ROWS = 500
/** SQLite page cache of RestoreConnections (default 2 MiB): holds the b-trees' inner pages at 1 M rows. */
export const CRP_DB_CACHE_KIB = 65_536
/** A new /gini/crp/1 stream must deliver `Register` within this time, else it is reset. */
export const CRP_FIRST_FRAME_TIMEOUT_MS = 10_000
/** Once a frame's first byte is in, the rest must follow within this time, else the stream is reset. */
export const CRP_FRAME_TIMEOUT_MS = 10_000
/** A frame to a side that does not read it within this time counts as that side leaving. */
export const CRP_WRITE_TIMEOUT_MS = 10_000
/** After the relay ends a stream, the peer has this long to close its side before a reset. */
export const CRP_CLOSE_GRACE_MS = 5_000
/**
 * Largest parked offer stored per role (encoded `Sealed`): a run identity's `PeerInfo` with a few
 * circuit addresses is a few hundred bytes; without a bound, 1 M rows × 2 × 16 KiB frames could fill a disk.
 */
export const CRP_PARKED_MAX_BYTES = 4_096
/**
 * Register token buckets, apart from /gini/fc/1's. A run identity registers at most 2 tokens
 * (SS_cur, SS_prev) and may clean up with 2 more streams (docs/protocol.md §13.3-12)…
 */
export const CRP_RATE_LIMIT_PER_PEER_BURST = 8
export const CRP_RATE_LIMIT_PER_PEER_REFILL_MS = 7_500
/** …while one IP may hold many contacts in their 60 s phase (2 tokens each a minute), behind one NAT. */
export const CRP_RATE_LIMIT_PER_IP_BURST = 600
export const CRP_RATE_LIMIT_PER_IP_REFILL_MS = 100
/** The window of §9.2's bound on new rows per IP per day. */
export const CRP_NEW_ROWS_WINDOW_MS = 24 * 3_600_000
/** Concurrent /gini/crp/1 streams per connection: 2 tokens, the next interval's 2 while the old close, cleanup. */
export const CRP_MAX_INBOUND_STREAMS = 16
/** The relay never opens /gini/crp/1 streams itself. */
export const CRP_MAX_OUTBOUND_STREAMS = 1

// ---- /gini/ice/1 (docs/protocol.md §14; protocol numbers in protocols/ice/constants.ts) ---------

/** Concurrent /gini/ice/1 streams per connection: a peer asks once per WebRTC dial, a refresh may overlap. */
export const ICE_MAX_INBOUND_STREAMS = 2
/** The relay never opens /gini/ice/1 streams itself. */
export const ICE_MAX_OUTBOUND_STREAMS = 1
/** A /gini/ice/1 stream must finish (request read → reply written) within this time, else it is reset. */
export const ICE_STREAM_TIMEOUT_MS = 10_000

/** The relay mailbox's SQLite file under the data dir (docs/protocol.md §16.5). */
export const MAILBOX_DB_FILE = 'mailbox.sqlite'
/** The mailbox sweep runs this often (§16.5: hourly). */
export const MAILBOX_SWEEP_INTERVAL_MS = 3_600_000
/** Rows per mailbox sweep statement. */
export const MAILBOX_SWEEP_BATCH_ROWS = 500
/** The window of the per-address deposit quota (§16.5: per hour). */
export const MAILBOX_DEPOSIT_WINDOW_MS = 3_600_000
/** A /gini/mailbox/1 stream must send its first request within this time. */
export const MAILBOX_FIRST_FRAME_TIMEOUT_MS = 10_000
export const MAILBOX_FRAME_TIMEOUT_MS = 10_000
export const MAILBOX_WRITE_TIMEOUT_MS = 10_000
export const MAILBOX_CLOSE_GRACE_MS = 5_000
/** Concurrent /gini/mailbox/1 streams per connection. */
export const MAILBOX_MAX_INBOUND_STREAMS = 4
export const MAILBOX_MAX_OUTBOUND_STREAMS = 1

/**
 * On stop, how long in-flight /gini/fc/1, /gini/crp/1 and /gini/mailbox/1 streams get to take their last
 * `Error(RELAY_SHUTTING_DOWN)` (docs/protocol.md §10) before the rest are reset; well inside
 * gini-relay's 10 s stop budget (relay/cli.ts).
 */
export const SHUTDOWN_DRAIN_MS = 3_000
