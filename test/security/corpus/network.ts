import { expectOk, lines, PROBES, py, type AttackClass } from './attack.js';

/**
 * With `NetworkMode: none` only a loopback interface exists, and our seccomp filter refuses
 * AF_INET and AF_INET6 sockets altogether (EPERM, on both runtimes): no address is reachable,
 * not even loopback, whose TCP buffers runc doesn't charge to the memory limit (cgroup v1). What
 * is left is AF_UNIX (multiprocessing, socketpair, asyncio's self-pipe) and NETLINK_ROUTE, which
 * glibc asks about the interfaces.
 */
const CONNECT = py`
  import socket
  def connect(host, port, family=socket.AF_INET):
      with socket.socket(family, socket.SOCK_STREAM) as s:
          s.settimeout(2)
          s.connect((host, port))
`;

export const network: AttackClass = {
  name: 'network',
  attacks: [
    {
      name: 'TCP to an external address',
      code: PROBES + CONNECT + py`
        attempt("tcp 1.1.1.1:443", lambda: connect("1.1.1.1", 443))
        attempt("tcp 8.8.8.8:53", lambda: connect("8.8.8.8", 53))
      `,
      expect: (result) => expectOk(result, lines('tcp 1.1.1.1:443: EPERM', 'tcp 8.8.8.8:53: EPERM')),
    },
    {
      name: 'UDP datagrams to an external address',
      code: PROBES + py`
        import socket
        def send():
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
                s.sendto(b"x", ("8.8.8.8", 53))
        attempt("udp 8.8.8.8:53", send)
      `,
      expect: (result) => expectOk(result, lines('udp 8.8.8.8:53: EPERM')),
    },
    {
      name: 'DNS resolution',
      code: py`
        import socket
        for name in ("example.com", "host.docker.internal", "metadata.google.internal"):
            try:
                print(name, socket.getaddrinfo(name, 80))
            except socket.gaierror as e:
                print(name, e.strerror)
      `,
      expect: (result) =>
        expectOk(
          result,
          lines(
            'example.com Temporary failure in name resolution',
            'host.docker.internal Temporary failure in name resolution',
            'metadata.google.internal Temporary failure in name resolution',
          ),
        ),
    },
    {
      // Docker's network setup would bind-mount the host's name server list and a hosts file in;
      // the sandbox has none of it (NetworkDisabled), and the image resolves its own names.
      name: 'the host’s name servers in /etc/resolv.conf',
      code: py`
        import socket
        for path in ("/etc/resolv.conf", "/etc/hosts"):
            print(path, "has content" if open(path).read().strip() else "empty")
        print("localhost", sorted({info[4][0] for info in socket.getaddrinfo("localhost", 80)}))
      `,
      expect: (result) =>
        expectOk(result, lines('/etc/resolv.conf empty', '/etc/hosts empty', "localhost ['127.0.0.1', '::1']")),
    },
    {
      name: 'IPv6 connect to an external address',
      code: PROBES + CONNECT + py`
        attempt("tcp [2606:4700:4700::1111]:443", lambda: connect("2606:4700:4700::1111", 443, socket.AF_INET6))
      `,
      expect: (result) => expectOk(result, lines('tcp [2606:4700:4700::1111]:443: EPERM')),
    },
    {
      name: 'raw and packet sockets (refused by the filter, and no CAP_NET_RAW either)',
      code: PROBES + py`
        import socket
        attempt("raw icmp", lambda: socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP))
        attempt("raw icmpv6", lambda: socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6))
        attempt("raw tcp", lambda: socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_TCP))
        attempt("packet", lambda: socket.socket(socket.AF_PACKET, socket.SOCK_RAW, 0))
      `,
      expect: (result) => expectOk(result, lines('raw icmp: EPERM', 'raw icmpv6: EPERM', 'raw tcp: EPERM', 'packet: EPERM')),
    },
    {
      name: 'the Docker bridge gateway (172.17.0.1): daemon API ports, SSH, HTTP',
      code: PROBES + CONNECT + py`
        for port in (2375, 2376, 22, 80):
            attempt(f"172.17.0.1:{port}", lambda: connect("172.17.0.1", port))
      `,
      expect: (result) =>
        expectOk(result, lines(...[2375, 2376, 22, 80].map((port) => `172.17.0.1:${port}: EPERM`))),
    },
    {
      name: 'the cloud metadata service (169.254.169.254, fd00:ec2::254)',
      code: PROBES + CONNECT + py`
        attempt("169.254.169.254:80", lambda: connect("169.254.169.254", 80))
        attempt("[fd00:ec2::254]:80", lambda: connect("fd00:ec2::254", 80, socket.AF_INET6))
      `,
      expect: (result) =>
        expectOk(result, lines('169.254.169.254:80: EPERM', '[fd00:ec2::254]:80: EPERM')),
    },
    {
      name: 'host unix sockets (Docker, containerd) are not there to connect to',
      code: PROBES + py`
        import socket
        def connect(path):
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
                s.connect(path)
        for path in ("/var/run/docker.sock", "/run/docker.sock", "/run/containerd/containerd.sock",
                     "/var/run/docker/containerd/containerd.sock", "/run/docker/plugins"):
            attempt(path, lambda: connect(path))
      `,
      expect: (result) =>
        expectOk(
          result,
          lines(
            '/var/run/docker.sock: ENOENT',
            '/run/docker.sock: ENOENT',
            '/run/containerd/containerd.sock: ENOENT',
            '/var/run/docker/containerd/containerd.sock: ENOENT',
            '/run/docker/plugins: ENOENT',
          ),
        ),
    },
    {
      name: 'only a loopback interface: no routes, no other unix sockets in the network namespace',
      code: py`
        import socket
        print([name for _, name in socket.if_nameindex()])
        print("routes:", len(open("/proc/net/route").read().splitlines()) - 1)
        print("unix sockets:", len(open("/proc/net/unix").read().splitlines()) - 1)
      `,
      expect: (result) => expectOk(result, lines("['lo']", 'routes: 0', 'unix sockets: 0')),
    },
    {
      // The red team's program: on runc (cgroup v1) a 128 MiB sandbox queued ~900 MiB of host
      // memory in loopback TCP buffers this way, while its memory cgroup grew by 1 MiB.
      name: 'queueing loopback TCP buffers past the memory limit',
      code: PROBES + py`
        import socket
        def flood():
            server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            server.bind(("127.0.0.1", 0))
            server.listen(128)
            queued = 0
            for _ in range(120):
                client = socket.create_connection(server.getsockname())
                accepted, _ = server.accept()
                for end in (client, accepted):
                    end.setblocking(False)
                    try:
                        while queued < 512 * 2**20:
                            queued += end.send(b"x" * 65536)
                    except BlockingIOError:
                        pass
            print("queued MiB:", queued // 2**20)
        attempt("tcp loopback", flood)
        attempt("udp loopback", lambda: socket.socket(socket.AF_INET, socket.SOCK_DGRAM).bind(("127.0.0.1", 0)))
        attempt("tcp6 loopback", lambda: socket.socket(socket.AF_INET6, socket.SOCK_STREAM).bind(("::1", 0)))
      `,
      expect: (result) => expectOk(result, lines('tcp loopback: EPERM', 'udp loopback: EPERM', 'tcp6 loopback: EPERM')),
    },
    {
      // NETLINK_KOBJECT_UEVENT delivered the host's device events (hotplug, every container's veth)
      // to a sandbox on runc; the other families are kernel interfaces a program has no use for.
      name: 'netlink beyond NETLINK_ROUTE: the host’s device events, socket and audit interfaces',
      code: PROBES + py`
        import socket
        def open_netlink(protocol):
            with socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, protocol) as s:
                s.bind((0, 1 if protocol == 15 else 0))  # uevents are broadcast to group 1
        for name, protocol in (("route", 0), ("sock_diag", 4), ("xfrm", 6), ("audit", 9), ("netfilter", 12),
                               ("kobject_uevent", 15), ("generic", 16)):
            attempt(name, lambda: open_netlink(protocol))
      `,
      expect: (result) =>
        expectOk(
          result,
          lines(
            'route: ok',
            ...['sock_diag', 'xfrm', 'audit', 'netfilter', 'kobject_uevent', 'generic'].map((name) => `${name}: EPERM`),
          ),
        ),
    },
    {
      // The control: the refusals above are not a broken socket layer. Local communication goes
      // over AF_UNIX: socketpair, unix-socket servers, multiprocessing and asyncio all work.
      name: 'AF_UNIX works: socketpair, a unix-socket echo server, multiprocessing, asyncio',
      code: py`
        import asyncio, multiprocessing, socket, threading
        a, b = socket.socketpair()
        a.sendall(b"pair")
        print("socketpair:", b.recv(100).decode())
        server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        server.bind("/tmp/echo.sock")
        server.listen()
        def echo():
            conn, _ = server.accept()
            conn.sendall(conn.recv(100))
            conn.close()
        threading.Thread(target=echo).start()
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as c:
            c.connect("/tmp/echo.sock")
            c.sendall(b"hello")
            print("unix echo:", c.recv(100).decode())
        def square(x):
            return x * x
        if __name__ == "__main__":
            with multiprocessing.Pool(2) as pool:
                print("multiprocessing:", pool.map(square, range(4)))
        async def main():
            async def handle(reader, writer):
                writer.write(await reader.read(100))
                await writer.drain()
                writer.close()
            await asyncio.start_unix_server(handle, "/tmp/asyncio.sock")
            reader, writer = await asyncio.open_unix_connection("/tmp/asyncio.sock")
            writer.write(b"async")
            print("asyncio:", (await reader.read(100)).decode())
            writer.close()
        asyncio.run(main())
      `,
      expect: (result) =>
        expectOk(result, lines('socketpair: pair', 'unix echo: hello', 'multiprocessing: [0, 1, 4, 9]', 'asyncio: async')),
    },
  ],
};
