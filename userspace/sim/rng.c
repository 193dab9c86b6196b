// SPDX-License-Identifier: GPL-2.0
/*
 * Pseudo-random numbers for the simulation: xorshift64*, seeded from
 * --seed so that a run's sequence of decisions can be replayed. Dice use
 * rng_below(6), which is unbiased (rejection sampling): a fair simulator
 * must really be fair, or the fairness alert would be testing our RNG.
 */
#include <math.h>
#include <time.h>

#include "sim.h"

static uint64_t state = 0x9e3779b97f4a7c15ULL;

void rng_seed(uint64_t seed)
{
	state = seed ? seed : 0x9e3779b97f4a7c15ULL;
}

uint64_t rng_next(void)
{
	state ^= state >> 12;
	state ^= state << 25;
	state ^= state >> 27;
	return state * 0x2545f4914f6cdd1dULL;
}

double rng_uniform(void)
{
	return (double)(rng_next() >> 11) / (double)(1ULL << 53);
}

unsigned int rng_below(unsigned int n)
{
	uint64_t limit = UINT64_MAX - UINT64_MAX % n;
	uint64_t x;

	do
		x = rng_next();
	while (x >= limit);
	return (unsigned int)(x % n);
}

bool rng_chance(double p)
{
	return rng_uniform() < p;
}

double rng_exponential(double mean)
{
	return -mean * log(1.0 - rng_uniform());
}

uint64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}
