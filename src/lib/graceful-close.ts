import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import net, { type Socket } from 'node:net'
import type { ProblemBody } from '../schemas/common.ts'
import { problemTypes } from './problem.ts'

// Closing an HTTP/1.1 server under keep-alive load without cutting a request. Node's server.close() destroys at once
// every connection it is not answering a request on; but the next request of a busy client is often on the wire
// already, or waiting unread in the kernel while the event loop is busy (the embedded database runs on it). Destroyed
// with that request unanswered, the connection ends in a reset or a "socket hang up", which a client cannot tell from
// a crash, nor know whether it may safely retry. Likewise, closing the listening socket resets the connections the
// kernel has completed but Node has not accepted yet (a busy loop accepts them slowly), requests included.
// Here, instead, the server first accepts what is waiting, then stops accepting; a request it has started is answered
// with Connection: close, and one that still arrives gets a 503 with Connection: close, so each busy connection ends
// with an answer; a connection with no request is ended (FIN) only once it has been quiet for QUIET_MS, so that a
// request already sent on it is seen first.

/** At most how long to wait for a turn of the event loop that accepts no connection, before the listener closes. */
const ACCEPT_WAIT_MS = 1000
/** How long a connection must have had no request before the server ends it. */
const QUIET_MS = 500
/** After the server's FIN, how long the client has to close its side before the connection is destroyed. */
const LINGER_MS = 2000
const RETRY_AFTER_SECONDS = 1

interface Connection {
  requests: number
  quietSince: number
  timer?: NodeJS.Timeout
}

type RequestListener = (request: IncomingMessage, response: ServerResponse) => void

/**
 * Takes over an HTTP server's connections (call it before listen); the returned function closes the server as above
 * and resolves, with how many requests it refused, once the last connection has closed. `requestId` gives a refused
 * request the id it would have had.
 */
export function gracefulClose (server: Server, requestId: (request: IncomingMessage) => string): () => Promise<{ refused: number }> {
  const connections = new Map<Socket, Connection>()
  const responses = new Set<ServerResponse>()
  let accepted = 0
  let refused = 0
  let closing = false

  server.on('connection', (socket: Socket) => {
    accepted++
    const connection: Connection = { requests: 0, quietSince: performance.now() }
    connections.set(socket, connection)
    socket.once('close', () => {
      clearTimeout(connection.timer)
      connections.delete(socket)
    })
  })

  // Every request passes through here first, so that one arriving while the server closes can be refused.
  const listeners = server.listeners('request') as RequestListener[]
  server.removeAllListeners('request')
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const connection = connections.get(request.socket)
    if (connection !== undefined) {
      connection.requests++
      clearTimeout(connection.timer)
      connection.timer = undefined
      responses.add(response)
      response.once('close', () => {
        responses.delete(response)
        connection.requests--
        connection.quietSince = performance.now()
        if (closing) endWhenQuiet(request.socket, connection)
      })
    }
    if (!closing) {
      for (const listener of listeners) listener.call(server, request, response)
    } else if (!request.socket.writableEnded) {
      refused++
      refuse(request, response, requestId(request))
    }
    // Else the request crossed the server's FIN: it cannot be answered, and the client saw the connection end first.
  })

  function endWhenQuiet (socket: Socket, connection: Connection): void {
    if (connection.requests > 0 || connection.timer !== undefined || socket.writableEnded) return
    const wait = Math.max(0, connection.quietSince + QUIET_MS - performance.now())
    // The check runs after the next poll for I/O (setImmediate), so that a request already in the kernel is read,
    // and counted, before the connection is taken for idle.
    connection.timer = setTimeout(() => setImmediate(() => {
      connection.timer = undefined
      if (connection.requests > 0 || socket.writableEnded) return
      if (performance.now() - connection.quietSince < QUIET_MS) return endWhenQuiet(socket, connection)
      socket.end()
      setTimeout(() => socket.destroy(), LINGER_MS).unref()
    }), wait)
  }

  /**
   * Resolves in the check phase of a turn of the event loop whose poll for I/O accepted no connection, i.e. when none
   * is waiting in the kernel's queue (or after ACCEPT_WAIT_MS of a steady stream of new ones).
   */
  function acceptWaiting (): Promise<void> {
    const deadline = performance.now() + ACCEPT_WAIT_MS
    return new Promise((resolve) => {
      let seen = -1
      const check = (): void => {
        if (accepted === seen || performance.now() > deadline) return resolve()
        seen = accepted
        setImmediate(check)
      }
      setImmediate(check)
    })
  }

  return async () => {
    await acceptWaiting()
    await new Promise<void>((resolve) => {
      // net.Server's close, not http.Server's: it stops accepting without destroying the connections it thinks idle,
      // and calls back once the last connection has closed.
      net.Server.prototype.close.call(server, () => resolve())
      closing = true
      for (const response of responses) {
        if (!response.headersSent) response.setHeader('connection', 'close')
      }
      for (const [socket, connection] of connections) endWhenQuiet(socket, connection)
    })
    return { refused }
  }
}

/** A 503 problem for a request that arrived after the server began to close; the connection closes after it. */
function refuse (request: IncomingMessage, response: ServerResponse, id: string): void {
  const { type, title, status } = problemTypes.serviceUnavailable
  const body = JSON.stringify({
    type,
    title,
    status,
    detail: 'The server is shutting down and did not start this request; send it again, on a new connection.',
    instance: request.url ?? '/',
    requestId: id
  } satisfies ProblemBody)
  response.writeHead(status, {
    'content-type': 'application/problem+json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'retry-after': String(RETRY_AFTER_SECONDS),
    'x-request-id': id,
    connection: 'close'
  })
  response.end(body)
}
