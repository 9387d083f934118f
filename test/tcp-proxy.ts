import net from 'node:net'

export type ProxyMode = 'pass' | 'blackhole' | 'reset'

/**
 * A TCP proxy in front of a server, for fault tests: `pass` forwards both ways; `blackhole` keeps every connection
 * open but lets nothing through either way, and accepts new ones that go nowhere (a silent network partition);
 * `reset` resets every open connection and each new one at once (a server that is gone, or refusing).
 */
export interface TcpProxy {
  port: number
  setMode(mode: ProxyMode): void
  close(): Promise<void>
}

export async function startTcpProxy (target: { host: string, port: number }): Promise<TcpProxy> {
  let mode: ProxyMode = 'pass'
  const pairs = new Set<{ client: net.Socket, upstream: net.Socket }>()

  const server = net.createServer((client) => {
    client.on('error', () => {})
    if (mode === 'reset') { client.resetAndDestroy(); return }
    const upstream = net.connect(target)
    upstream.on('error', () => { client.destroy() })
    const pair = { client, upstream }
    pairs.add(pair)
    const forward = (from: net.Socket, to: net.Socket) => {
      from.on('data', (chunk: Buffer) => { if (mode === 'pass') to.write(chunk) })
      from.on('close', () => { to.destroy(); pairs.delete(pair) })
    }
    forward(client, upstream)
    forward(upstream, client)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as net.AddressInfo).port
  return {
    port,
    setMode (next) {
      mode = next
      if (next === 'reset') {
        for (const { client, upstream } of pairs) { client.resetAndDestroy(); upstream.destroy() }
        pairs.clear()
      }
    },
    async close () {
      for (const { client, upstream } of pairs) { client.destroy(); upstream.destroy() }
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }
}
