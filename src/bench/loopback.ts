// The aregcmd lines that move a factory tree to free loopback ports, shared by the benchmark and the tests
// that start a real engine: RADIUS auth/acct on the given ports (the factory 1812/1813/3799 removed),
// 127.0.0.1 only, Diameter on the given TCP port.
export function loopbackPortsScript(auth: number, acct: number, diameter: number): string[] {
  return [
    'cd /Radius/Advanced/Ports', 'delete 1812', 'delete 1813', 'delete 3799', `add ${auth} auth`, `add ${acct} acct`,
    'cd /Radius/Advanced/Interfaces', 'add 127.0.0.1',
    `set /Radius/Advanced/Diameter/TransportManagement/TCPListenPort ${diameter}`,
  ];
}
