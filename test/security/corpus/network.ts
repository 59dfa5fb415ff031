import { expectOk, lines, onRuntime, PROBES, py, type AttackClass, type AttackContext } from './attack.js';

/**
 * With `NetworkMode: none` only a loopback interface exists. runc's kernel has no route at all
 * (ENETUNREACH; for IPv6, no source address: EADDRNOTAVAIL); gVisor's netstack (runsc
 * --network=none) answers EHOSTUNREACH. Either way nothing leaves the sandbox.
 */
function unreachable(context: AttackContext, family: 'ipv4' | 'ipv6' = 'ipv4'): string {
  return onRuntime(context, { runc: family === 'ipv4' ? 'ENETUNREACH' : 'EADDRNOTAVAIL', runsc: 'EHOSTUNREACH' });
}

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
      expect: (result, context) =>
        expectOk(result, lines(`tcp 1.1.1.1:443: ${unreachable(context)}`, `tcp 8.8.8.8:53: ${unreachable(context)}`)),
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
      expect: (result, context) => expectOk(result, lines(`udp 8.8.8.8:53: ${unreachable(context)}`)),
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
      name: 'IPv6 connect to an external address',
      code: PROBES + CONNECT + py`
        attempt("tcp [2606:4700:4700::1111]:443", lambda: connect("2606:4700:4700::1111", 443, socket.AF_INET6))
      `,
      expect: (result, context) =>
        expectOk(result, lines(`tcp [2606:4700:4700::1111]:443: ${unreachable(context, 'ipv6')}`)),
    },
    {
      name: 'raw and packet sockets (no CAP_NET_RAW)',
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
      expect: (result, context) =>
        expectOk(result, lines(...[2375, 2376, 22, 80].map((port) => `172.17.0.1:${port}: ${unreachable(context)}`))),
    },
    {
      name: 'the cloud metadata service (169.254.169.254, fd00:ec2::254)',
      code: PROBES + CONNECT + py`
        attempt("169.254.169.254:80", lambda: connect("169.254.169.254", 80))
        attempt("[fd00:ec2::254]:80", lambda: connect("fd00:ec2::254", 80, socket.AF_INET6))
      `,
      expect: (result, context) =>
        expectOk(
          result,
          lines(`169.254.169.254:80: ${unreachable(context)}`, `[fd00:ec2::254]:80: ${unreachable(context, 'ipv6')}`),
        ),
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
      // The control: the failures above are not a broken socket layer.
      name: 'loopback itself works (a local echo server)',
      code: py`
        import socket, threading
        server = socket.socket()
        server.bind(("127.0.0.1", 0))
        server.listen()
        def echo():
            conn, _ = server.accept()
            conn.sendall(conn.recv(100))
            conn.close()
        threading.Thread(target=echo).start()
        with socket.create_connection(server.getsockname(), timeout=2) as c:
            c.sendall(b"hello")
            print("echo:", c.recv(100).decode())
      `,
      expect: (result) => expectOk(result, 'echo: hello\n'),
    },
  ],
};
