"""Golden Art-Net packets for the codec tests (lightshow.protocol.artnet*).

They are written out by hand from the field tables of the Art-Net 4 spec (as
cross-checked against OLA's ArtNetPackets.h and Wireshark's packet-artnet.c),
never produced by the builders under test.
"""

ID = bytes.fromhex("4172742d4e657400")  # "Art-Net\0"

GOLDEN_DMX = bytes.fromhex(
    "4172742d4e657400"  # 0  ID
    "0050"  # 8  OpDmx 0x5000, low byte first
    "000e"  # 10 ProtVer 14, high byte first
    "07"  # 12 Sequence
    "02"  # 13 Physical
    "34"  # 14 SubUni: sub-net 3, universe 4
    "12"  # 15 Net 0x12
    "0004"  # 16 Length 4, high byte first
    "ff007f01"  # 18 slots 1..4
)

GOLDEN_DMX_ODD = bytes.fromhex(
    "4172742d4e657400"  # 0  ID
    "0050"  # 8  OpDmx
    "000e"  # 10 ProtVer
    "00"  # 12 Sequence 0: sequencing off
    "00"  # 13 Physical
    "01"  # 14 SubUni: Port-Address 1
    "00"  # 15 Net
    "0004"  # 3 slots padded to an even Length of 4
    "0a0b0c00"
)

GOLDEN_SYNC = bytes.fromhex(
    "4172742d4e657400"  # 0  ID
    "0052"  # 8  OpSync 0x5200, low byte first
    "000e"  # 10 ProtVer 14
    "0000"  # 12 Aux1, Aux2
)

GOLDEN_POLL = bytes.fromhex(
    "4172742d4e657400"
    "0020"  # 8  OpPoll
    "000e"  # 10 ProtVer
    "06"  # 12 Flags: reply on change + send diagnostics
    "80"  # 13 DiagPriority DpHigh
    "0123"  # 14 TargetPortAddressTop, high byte first
    "0010"  # 16 TargetPortAddressBottom
    "7ff0"  # 18 EstaMan, high byte first in ArtPoll
    "00ff"  # 20 Oem
)

GOLDEN_POLL_SHORT = bytes.fromhex(
    "4172742d4e657400"  # 0  ID
    "0020"  # 8  OpPoll
    "000e"  # 10 ProtVer
    "02"  # 12 Flags: reply on change
    "10"  # 13 DiagPriority DpLow; pre-Art-Net 4 polls end here (14 bytes)
)

GOLDEN_TIMECODE = bytes.fromhex(
    "4172742d4e657400"
    "0097"  # 8  OpTimeCode
    "000e"
    "00"  # 12 Filler
    "00"  # 13 StreamId (master)
    "04"  # 14 Frames
    "03"  # 15 Seconds
    "02"  # 16 Minutes
    "01"  # 17 Hours
    "03"  # 18 Type SMPTE
)


def _name(text: bytes, size: int) -> bytes:
    return text + b"\x00" * (size - len(text))


GOLDEN_POLL_REPLY = b"".join(
    [
        ID,  # 0
        bytes.fromhex("0021"),  # 8   OpPollReply, low byte first; no ProtVer
        bytes.fromhex("0a000032"),  # 10  IP 10.0.0.50
        bytes.fromhex("3619"),  # 14  Port 0x1936, low byte first
        bytes.fromhex("0102"),  # 16  VersInfo, high byte first
        bytes.fromhex("01"),  # 18  NetSwitch
        bytes.fromhex("02"),  # 19  SubSwitch
        bytes.fromhex("00ff"),  # 20  Oem, high byte first
        bytes.fromhex("00"),  # 22  UbeaVersion
        bytes.fromhex("e0"),  # 23  Status1
        bytes.fromhex("f07f"),  # 24  EstaMan 0x7ff0, LOW byte first
        _name(b"Node", 18),  # 26  ShortName
        _name(b"Long Node", 64),  # 44  LongName
        _name(b"#0001 [0000] OK", 64),  # 108 NodeReport
        bytes.fromhex("0002"),  # 172 NumPorts
        bytes.fromhex("80800000"),  # 174 PortTypes: 2 DMX512 outputs
        bytes.fromhex("00000000"),  # 178 GoodInput
        bytes.fromhex("80800000"),  # 182 GoodOutputA
        bytes.fromhex("00000000"),  # 186 SwIn
        bytes.fromhex("03050000"),  # 190 SwOut
        bytes.fromhex("00"),  # 194 AcnPriority
        bytes.fromhex("00"),  # 195 SwMacro
        bytes.fromhex("00"),  # 196 SwRemote
        bytes.fromhex("000000"),  # 197 Spare
        bytes.fromhex("00"),  # 200 Style StNode
        bytes.fromhex("020000000001"),  # 201 MAC
        bytes.fromhex("0a000032"),  # 207 BindIp
        bytes.fromhex("01"),  # 211 BindIndex (root)
        bytes.fromhex("08"),  # 212 Status2: 15-bit Port-Address
        bytes.fromhex("00000000"),  # 213 GoodOutputB
        bytes.fromhex("00"),  # 217 Status3
        bytes.fromhex("000000000000"),  # 218 DefaultRespUID
        bytes.fromhex("0000"),  # 224 User
        bytes.fromhex("002c"),  # 226 RefreshRate 44 Hz
        bytes.fromhex("00"),  # 228 BackgroundQueuePolicy
        bytes(10),  # 229 Filler
    ]
)
