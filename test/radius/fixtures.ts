// A dictionary with every data type, flag, vendor format and RFC 6929 space, for codec tests and fuzzing.

export const typesDictionary = `
ATTRIBUTE T-String 1 string
ATTRIBUTE T-Octets 2 octets
ATTRIBUTE T-Ipaddr 3 ipaddr
ATTRIBUTE T-V4Prefix 4 ipv4prefix
ATTRIBUTE T-V6Addr 5 ipv6addr
ATTRIBUTE T-V6Prefix 6 ipv6prefix
ATTRIBUTE T-Ifid 7 ifid
ATTRIBUTE T-Integer 8 integer
ATTRIBUTE T-Byte 9 byte
ATTRIBUTE T-Short 10 short
ATTRIBUTE T-Signed 11 signed
ATTRIBUTE T-Int64 12 integer64
ATTRIBUTE T-Date 13 date
ATTRIBUTE T-Ether 14 ether
ATTRIBUTE T-Combo 15 combo-ip
ATTRIBUTE T-Abinary 16 abinary
ATTRIBUTE T-Fixed 17 octets[4]
ATTRIBUTE T-Array 18 ipaddr array
ATTRIBUTE Vendor-Specific 26 vsa
ATTRIBUTE T-Tag-Int 64 integer has_tag
ATTRIBUTE T-Tag-Str 66 string has_tag
ATTRIBUTE T-Tunnel-Password 69 string has_tag,encrypt=2
ATTRIBUTE EAP-Message 79 octets concat
ATTRIBUTE Message-Authenticator 80 octets[16]
ATTRIBUTE Ext-1 241 extended
ATTRIBUTE Ext-5 245 long-extended
ATTRIBUTE EVS-1 241.26 evs
ATTRIBUTE EVS-5 245.26 evs
ATTRIBUTE X-Int 241.1 integer
ATTRIBUTE X-Tlv 241.2 tlv
ATTRIBUTE X-Tlv-A 241.2.1 string
ATTRIBUTE X-Tlv-B 241.2.2 tlv
ATTRIBUTE X-Tlv-B-C 241.2.2.1 short
ATTRIBUTE L-Octets 245.1 octets
VENDOR Classic 1001
VENDOR Wide 1002 format=2,2
VENDOR Huge 1003 format=4,0
VENDOR Cont 1004 format=1,1,c
VENDOR Evsy 1005
BEGIN-VENDOR Classic
ATTRIBUTE C-Str 1 string
ATTRIBUTE C-Secret 2 octets encrypt=2
ATTRIBUTE C-Group 3 tlv
ATTRIBUTE C-Member 3.1 ipaddr
END-VENDOR Classic
BEGIN-VENDOR Wide
ATTRIBUTE W-Int 300 integer
END-VENDOR Wide
BEGIN-VENDOR Huge
ATTRIBUTE H-Str 70000 string
END-VENDOR Huge
BEGIN-VENDOR Cont
ATTRIBUTE Co-Long 5 octets
END-VENDOR Cont
BEGIN-VENDOR Evsy format=Extended-Vendor-Specific-1
ATTRIBUTE E-Str 9 string
END-VENDOR Evsy
BEGIN-VENDOR Evsy format=Extended-Vendor-Specific-5
ATTRIBUTE E-Long 10 octets
END-VENDOR Evsy
VALUE T-Integer Seven 7
`;
