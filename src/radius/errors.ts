// The three ways this library refuses input. Decode errors carry a short, stable reason code because the
// server counts malformed packets by reason; the message adds the detail for traces.

export type DecodeReason =
  | 'short-datagram' // fewer bytes than a header, or than the Length field says
  | 'bad-length' // Length field outside 20..4096
  | 'attribute-overflow' // an attribute runs past Length
  | 'attribute-length' // attribute length below its header size
  | 'value-size' // a value of the wrong size for its type
  | 'vsa-malformed' // Vendor-Specific content that does not parse in the vendor's format
  | 'tlv-malformed' // TLV content whose sub-attribute lengths do not add up
  | 'extended-malformed' // RFC 6929 extended / long-extended framing error
  | 'duplicate-message-authenticator'
  | 'encrypted-value'; // a hidden value whose length cannot be right

export class RadiusDecodeError extends Error {
  override readonly name = 'RadiusDecodeError';
  constructor(
    readonly reason: DecodeReason,
    detail: string,
  ) {
    super(`${reason}: ${detail}`);
  }
}

export class RadiusEncodeError extends Error {
  override readonly name = 'RadiusEncodeError';
}

/** A dictionary statement that cannot be accepted; `where` is `file:line` when it came from a file. */
export class DictionaryError extends Error {
  override readonly name = 'DictionaryError';
  constructor(
    detail: string,
    readonly where?: string,
  ) {
    super(where ? `${where}: ${detail}` : detail);
  }
}
