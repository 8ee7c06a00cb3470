/* xoshiro256** seeded through splitmix64; see include/lib/random.h. */
#include <lib/random.h>

static u64 state[4] = { 0x9e3779b97f4a7c15ULL, 0xbf58476d1ce4e5b9ULL, 0x94d049bb133111ebULL, 0x2545f4914f6cdd1dULL };

static u64 splitmix(u64 *x)
{
	u64 z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void random_seed(u64 entropy)
{
	u64 x = entropy ^ state[0];

	for (int i = 0; i < 4; i++)
		state[i] ^= splitmix(&x);
}

static u64 rotl(u64 x, int k) { return (x << k) | (x >> (64 - k)); }

u64 random_u64(void)
{
	u64 result = rotl(state[1] * 5, 7) * 9, t = state[1] << 17;

	state[2] ^= state[0];
	state[3] ^= state[1];
	state[1] ^= state[2];
	state[0] ^= state[3];
	state[2] ^= t;
	state[3] = rotl(state[3], 45);
	return result;
}
