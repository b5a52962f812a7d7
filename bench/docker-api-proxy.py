#!/usr/bin/env python3
"""bench/docker-api-proxy.py: count the Docker Engine API calls a client makes.

Usage: bench/docker-api-proxy.py SOCKET_IN [--upstream /var/run/docker.sock] [--out FILE]
                                 [--pid-file FILE]

Listens on the unix socket SOCKET_IN and forwards every connection to the Engine's socket
(--upstream), counting the HTTP requests by method and path. Point a client at it:

    bench/docker-api-proxy.py /tmp/count.sock --out /tmp/counts.json &
    DOCKER_HOST=unix:///tmp/count.sock docker stack deploy -c docker-compose.yml mystack
    kill -TERM %1          # writes /tmp/counts.json, then exits

The counts are written to FILE (default SOCKET_IN.counts.json) on SIGTERM, SIGINT and normal exit,
and without exiting on SIGUSR1. Signal the Python process itself: behind a wrapper such as a pyenv
shim, `$!` may not be it (--pid-file writes the right PID). The file holds:

    {"total": 57, "mutating": 33,            # mutating = POST, PUT, DELETE, PATCH
     "byMethod": {"GET": 24, "POST": 33},
     "byEndpoint": {"POST /services/{id}/update": 30, ...},   # version prefix dropped, ids folded
     "requests": {"POST /v1.41/services/abc/update": 1, ...}, # raw method + path (no query)
     "connections": 3, "startedAt": ..., "writtenAt": ...}

Only the client-to-engine direction is parsed (request line, headers, and a body framed by
Content-Length or chunked transfer coding, forwarded as it streams); responses are copied back
byte for byte, so streamed responses (logs, events, wait) pass untouched. A request that asks
for a connection upgrade (attach, exec) turns its connection into a raw two-way pipe: requests
sent over it afterwards are not counted (the docker CLI sends none).

Standard library only.
"""

import argparse
import atexit
import json
import os
import re
import signal
import socket
import socketserver
import sys
import threading
import time

MUTATING = {"POST", "PUT", "DELETE", "PATCH"}
# Collections whose second path segment is an object's id or name.
COLLECTIONS = {
    "containers", "services", "networks", "secrets", "configs", "volumes", "tasks", "nodes",
    "images", "exec", "plugins", "swarm", "distribution",
}
VERSION_PREFIX = re.compile(r"^/v\d+\.\d+(?=/)")


class Counter:
    def __init__(self, out_path):
        self.out_path = out_path
        self.lock = threading.Lock()
        self.requests = {}
        self.connections = 0
        self.started_at = time.time()

    def count(self, method, target):
        path = target.split("?", 1)[0]
        key = f"{method} {path}"
        with self.lock:
            self.requests[key] = self.requests.get(key, 0) + 1

    def connection(self):
        with self.lock:
            self.connections += 1

    @staticmethod
    def endpoint(key):
        method, path = key.split(" ", 1)
        path = VERSION_PREFIX.sub("", path)
        parts = path.split("/")  # ["", "services", "ID", "update"]
        if len(parts) >= 3 and parts[1] in COLLECTIONS and parts[2] not in ("", "create", "prune", "json"):
            if parts[1] == "distribution":
                # /distribution/{name}/json, where name may hold slashes
                parts = parts[:2] + ["{name}"] + (["json"] if parts[-1] == "json" else [])
            else:
                parts[2] = "{id}"
        return f"{method} {'/'.join(parts)}"

    def snapshot(self):
        with self.lock:
            requests = dict(self.requests)
            connections = self.connections
        by_method, by_endpoint = {}, {}
        for key, n in requests.items():
            method = key.split(" ", 1)[0]
            by_method[method] = by_method.get(method, 0) + n
            endpoint = self.endpoint(key)
            by_endpoint[endpoint] = by_endpoint.get(endpoint, 0) + n
        return {
            "total": sum(requests.values()),
            "mutating": sum(n for m, n in by_method.items() if m in MUTATING),
            "byMethod": dict(sorted(by_method.items())),
            "byEndpoint": dict(sorted(by_endpoint.items())),
            "requests": dict(sorted(requests.items())),
            "connections": connections,
            "startedAt": self.started_at,
            "writtenAt": time.time(),
        }

    def write(self):
        data = self.snapshot()
        tmp = f"{self.out_path}.tmp.{os.getpid()}"
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(data, f, indent=2)
            f.write("\n")
        os.replace(tmp, self.out_path)


class ProtocolError(Exception):
    pass


class Conn:
    """A client connection: buffered reads, forwarding to the upstream socket."""

    def __init__(self, client, upstream):
        self.client = client
        self.upstream = upstream
        self.buf = b""

    def fill(self):
        data = self.client.recv(65536)
        if not data:
            return False
        self.buf += data
        return True

    def read_head(self):
        """Return the bytes of a request head (through the blank line), or None at EOF."""
        while b"\r\n\r\n" not in self.buf:
            if len(self.buf) > 1 << 20:
                raise ProtocolError("request head larger than 1 MiB")
            if not self.fill():
                if self.buf:
                    raise ProtocolError("connection closed inside a request head")
                return None
        head, self.buf = self.buf.split(b"\r\n\r\n", 1)
        return head + b"\r\n\r\n"

    def read_line(self):
        while b"\r\n" not in self.buf:
            if not self.fill():
                raise ProtocolError("connection closed inside a chunked body")
        line, self.buf = self.buf.split(b"\r\n", 1)
        return line + b"\r\n"

    def forward_exact(self, n):
        while n > 0:
            if not self.buf and not self.fill():
                raise ProtocolError("connection closed inside a request body")
            piece, self.buf = self.buf[:n], self.buf[n:]
            self.upstream.sendall(piece)
            n -= len(piece)

    def forward_chunked(self):
        while True:
            line = self.read_line()
            self.upstream.sendall(line)
            try:
                size = int(line.split(b";", 1)[0].strip(), 16)
            except ValueError as exc:
                raise ProtocolError(f"bad chunk size line {line!r}") from exc
            if size == 0:
                # trailers, up to and including the blank line
                while True:
                    trailer = self.read_line()
                    self.upstream.sendall(trailer)
                    if trailer == b"\r\n":
                        return
            self.forward_exact(size + 2)  # the chunk and its CRLF

    def forward_raw(self):
        if self.buf:
            self.upstream.sendall(self.buf)
            self.buf = b""
        while True:
            data = self.client.recv(65536)
            if not data:
                return
            self.upstream.sendall(data)


def pump(src, dst):
    """Copy src to dst until EOF, then half-close dst."""
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            dst.sendall(data)
    except OSError:
        pass
    finally:
        try:
            dst.shutdown(socket.SHUT_WR)
        except OSError:
            pass


def make_handler(counter, upstream_path):
    class Handler(socketserver.BaseRequestHandler):
        def handle(self):
            counter.connection()
            client = self.request
            upstream = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                upstream.connect(upstream_path)
            except OSError as exc:
                print(f"docker-api-proxy: cannot connect to {upstream_path}: {exc}", file=sys.stderr)
                client.close()
                return
            back = threading.Thread(target=pump, args=(upstream, client), daemon=True)
            back.start()
            conn = Conn(client, upstream)
            try:
                while True:
                    head = conn.read_head()
                    if head is None:
                        break
                    lines = head.decode("latin-1").split("\r\n")
                    try:
                        method, target, _version = lines[0].split(" ", 2)
                    except ValueError as exc:
                        raise ProtocolError(f"bad request line {lines[0]!r}") from exc
                    headers = {}
                    for line in lines[1:]:
                        if ":" in line:
                            name, value = line.split(":", 1)
                            headers[name.strip().lower()] = value.strip()
                    counter.count(method, target)
                    upstream.sendall(head)
                    if "chunked" in headers.get("transfer-encoding", "").lower():
                        conn.forward_chunked()
                    elif headers.get("content-length"):
                        conn.forward_exact(int(headers["content-length"]))
                    if "upgrade" in headers or "upgrade" in headers.get("connection", "").lower():
                        conn.forward_raw()
                        break
            except (ProtocolError, OSError, ValueError) as exc:
                if not isinstance(exc, (BrokenPipeError, ConnectionResetError)):
                    print(f"docker-api-proxy: {exc}", file=sys.stderr)
            finally:
                try:
                    upstream.shutdown(socket.SHUT_WR)
                except OSError:
                    pass
                back.join(timeout=600)
                upstream.close()

    return Handler


class Server(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("socket_in", help="unix socket to listen on")
    parser.add_argument("--upstream", default="/var/run/docker.sock", help="the Engine's socket")
    parser.add_argument("--out", help="where to write the counts (default SOCKET_IN.counts.json)")
    parser.add_argument("--pid-file", help="write this process's PID there")
    args = parser.parse_args(argv)
    if args.pid_file:
        with open(args.pid_file, "w", encoding="utf-8") as f:
            f.write(f"{os.getpid()}\n")

    out = args.out or f"{args.socket_in}.counts.json"
    counter = Counter(out)
    if os.path.exists(args.socket_in):
        os.unlink(args.socket_in)
    server = Server(args.socket_in, make_handler(counter, args.upstream))

    done = threading.Event()

    def finish(*_):
        if done.is_set():
            return
        done.set()
        counter.write()
        try:
            os.unlink(args.socket_in)
        except OSError:
            pass

    def on_term(signum, _frame):
        finish()
        os._exit(0)

    atexit.register(finish)
    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGINT, on_term)
    signal.signal(signal.SIGUSR1, lambda *_: counter.write())
    print(f"docker-api-proxy: {args.socket_in} -> {args.upstream}, counts to {out}", file=sys.stderr, flush=True)
    server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
