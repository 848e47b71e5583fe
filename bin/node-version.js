// Refuses to start on a Node.js older than the project needs, with words a user can act on, before
// anything imports libp2p (which needs Node >= 22) or node:sqlite (Node >= 22.5) and dies cryptically.
const MIN_MAJOR = 22
const MIN_MINOR = 5

export function requireNode (command) {
  const [major, minor] = process.versions.node.split('.').map(Number)
  if (major > MIN_MAJOR || (major === MIN_MAJOR && minor >= MIN_MINOR)) return
  process.stderr.write(
    `${command} needs Node.js ${MIN_MAJOR}.${MIN_MINOR} or newer; this is Node.js ${process.versions.node} (${process.execPath}).\n` +
    `Inside the project, run it as \`npx ${command}\` (npm puts the project's own Node 24 from node_modules first on PATH),\n` +
    'or install Node.js 24 LTS. The Dockerfile and the systemd unit in deploy/ pin Node 24.\n')
  process.exit(1)
}
