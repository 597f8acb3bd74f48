// EAP server: packets and the protocol-independent conversation state machine.
export * from './packet.js';
export * from './server.js';
