/*
 * xlat: turn constant and flag words into their symbolic names, as strace's
 * xlat tables do: "O_RDONLY|O_CLOEXEC", "PROT_READ|PROT_WRITE", "AF_INET".
 * Bits without a name are appended in hex ("O_RDONLY|0x40000000") so that
 * nothing is lost.  One entry point per argument kind.
 */
#ifndef GT_XLAT_H
#define GT_XLAT_H

#include <stdint.h>

#include "syscalls.h"
#include "util.h"

/* Append the rendering of VALUE as an argument of kind K to B.  Only the
 * pure-value kinds are handled here (flags, constants, numbers, octal,
 * signals); kinds that need state or memory (FD, PID, PATH, ARGV...) are the
 * canonicalizer's, and given one of those this appends VALUE in decimal. */
void gt_xlat_arg(struct gt_buf *b, enum gt_argk k, uint64_t value);

#endif
