// SPDX-License-Identifier: GPL-2.0
/*
 * bench_nop: the smallest static program (no libc): exits with status 0.
 * The fork_exec workload of `make bench` executes it, so that what is
 * timed is the kernel's fork, exec, exit and wait, not a libc's startup.
 */
void _start(void);

__attribute__((noreturn, used)) void _start(void)
{
	__asm__ volatile("mov $60, %eax\n\t"	/* exit(0) */
			 "xor %edi, %edi\n\t"
			 "syscall");
	__builtin_unreachable();
}
