const DISCORD_EPOCH = 1_420_070_400_000n;
let sequence = 0n;

/** A fresh Discord id: milliseconds since 2015 shifted left 22 bits, plus a counter (as Discord's). */
export function snowflake(): string {
  sequence = (sequence + 1n) % 4096n;
  return ((BigInt(Date.now()) - DISCORD_EPOCH) << 22n | sequence).toString();
}
