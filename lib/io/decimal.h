/* Numbers in text files: exact decimal-to-double conversion for the CSV
 * reader, fast for the numbers data files hold and falling back to strtod
 * for the rest, with the same result to the bit either way. */
#ifndef MLC_IO_DECIMAL_H
#define MLC_IO_DECIMAL_H
#include <locale.h>
#include <stddef.h>
#include <stdint.h>

/* Parse [+-]digits[.digits][(e|E)[+-]digits] (digits on at least one side
 * of the point) at s, reading no further than end: the correctly rounded
 * double (what strtod returns) into *out and the end of the number, or NULL
 * when s holds no such number or one this path leaves to strtod (more than
 * 19 significant digits, results that are subnormal or overflow, and the
 * rare products the method cannot round). Like strtod, "1e" and "1e+" end
 * before the 'e'. */
const char *mlc_decimal_parse(const char *s, const char *end, double *out);

/* The rule of a numeric CSV field s[0..n): what numpy.loadtxt(dtype=float)
 * reads as a float. One number, optionally surrounded by whitespace (as
 * Python's str.isspace: spaces, tabs, \v \f, 0x1C-0x1F, Unicode spaces in
 * UTF-8): a decimal [+-](digits[.digits] | .digits)[(e|E)[+-]digits], or
 * [+-]nan, [+-]inf, [+-]infinity in any case. Nothing else: no hexadecimal
 * (0x10), no locale's decimal comma, no "1e", "--1", "nan(1)" or empty
 * field. Plain decimals go through mlc_decimal_parse; the others it leaves
 * (more than 19 digits, subnormal or overflowing results: 1e999 is inf) to
 * strtod_l in the C locale `loc`, only once the text is known to be such a
 * decimal, so the result is always the correctly rounded double. s[n] must
 * not be a character that could continue a number (a NUL, comma or line
 * break). 1 and *out on success, else 0. */
int mlc_number_field(const char *s, size_t n, locale_t loc, double *out);

/* The Eisel-Lemire table (pow5_table.c, scripts/gen-pow5-table). */
#define MLC_POW5_SMALLEST (-342)
#define MLC_POW5_LARGEST 308
extern const uint64_t mlc_pow5_128[2 * (MLC_POW5_LARGEST - MLC_POW5_SMALLEST + 1)];

#endif
