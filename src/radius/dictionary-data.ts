// The plain, JSON-serializable form of a dictionary layer: what a parsed file adds to its base, in
// definition order. The configuration store keeps imported dictionaries in this form and rebuilds them with
// buildDictionary().

export interface VendorData {
  name: string;
  id: number;
  /** FreeRADIUS `format=t,l[,c]`; absent means 1,1. */
  format?: { type: 1 | 2 | 4; length: 0 | 1 | 2; continuation?: boolean };
}

export interface AttributeFlagsData {
  hasTag?: boolean;
  encrypt?: 1 | 2 | 3;
  array?: boolean;
  concat?: boolean;
  virtual?: boolean;
  secret?: boolean;
}

export interface AttributeData {
  name: string;
  number: number;
  /** Dictionary type name as written (`octets[16]` keeps its size). */
  type: string;
  /** Vendor id for vendor attributes (classic VSA, or an Extended-Vendor-Specific one with `parent`). */
  vendor?: number;
  /** Name of the enclosing tlv / extended / evs attribute. */
  parent?: string;
  flags?: AttributeFlagsData;
}

export interface ValueData {
  attribute: string;
  name: string;
  value: number;
}

export interface DictionaryData {
  vendors: VendorData[];
  attributes: AttributeData[];
  values: ValueData[];
}
