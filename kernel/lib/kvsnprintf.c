// SPDX-License-Identifier: GPL-2.0
/*
 * kvsnprintf(): the one formatter under every kernel message. It never
 * allocates, never reads past a string's precision and never writes past
 * size, so it is safe on any buffer handed to it.
 */
#include <cove/kvsnprintf.h>

#define FL_LEFT (1U << 0)
#define FL_ZERO (1U << 1)
#define FL_PLUS (1U << 2)
#define FL_SPACE (1U << 3)
#define FL_ALT (1U << 4)

#define INT_LIMIT 0x7fffffff

enum fmt_len { LEN_HH, LEN_H, LEN_NONE, LEN_L, LEN_LL, LEN_Z, LEN_T, LEN_J };

struct fmt_out {
	char *buf;
	size_t size;
	size_t len;	/* counts what did not fit too: that is the return value */
};

struct fmt_spec {
	unsigned int flags;
	int width;
	int prec;	/* -1 when no precision was given */
	enum fmt_len len;
};

static void fmt_putc(struct fmt_out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void fmt_repeat(struct fmt_out *o, char c, long long n)
{
	while (n-- > 0)
		fmt_putc(o, c);
}

static void fmt_putn(struct fmt_out *o, const char *s, int n)
{
	for (int i = 0; i < n; i++)
		fmt_putc(o, s[i]);
}

/* Saturates so that an absurd width cannot overflow an int. */
static int fmt_atoi(const char **p)
{
	int v = 0;

	while (**p >= '0' && **p <= '9') {
		int d = *(*p)++ - '0';

		v = v > (INT_LIMIT - d) / 10 ? INT_LIMIT : v * 10 + d;
	}
	return v;
}

/*
 * Emits [spaces][prefix][zeros][body][spaces]. The zero count already holds
 * what the precision asks for; the '0' flag only widens it when there is no
 * precision, as C requires.
 */
static void fmt_field(struct fmt_out *o, const struct fmt_spec *sp, const char *prefix,
		      int plen, int zeros, const char *body, int blen, bool zero_pad)
{
	/* Wide enough that a precision near INT_MAX cannot overflow it. */
	long long pad = (long long)sp->width - plen - zeros - blen;
	long long nzeros = zeros;

	if (pad > 0 && zero_pad && !(sp->flags & FL_LEFT)) {
		nzeros += pad;
		pad = 0;
	}
	if (!(sp->flags & FL_LEFT))
		fmt_repeat(o, ' ', pad);
	fmt_putn(o, prefix, plen);
	fmt_repeat(o, '0', nzeros);
	fmt_putn(o, body, blen);
	if (sp->flags & FL_LEFT)
		fmt_repeat(o, ' ', pad);
}

static void fmt_number(struct fmt_out *o, const struct fmt_spec *sp, uint64_t v, char sign,
		       unsigned int base, bool upper)
{
	const char *xdigits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char digits[24];	/* 22 octal digits cover 64 bits */
	char prefix[2];
	int n = sizeof(digits), plen = 0, zeros;
	bool nonzero = v != 0;

	while (v) {
		digits[--n] = xdigits[v % base];
		v /= base;
	}
	/* "%.0d" of 0 prints nothing at all, but the default precision is 1. */
	zeros = (sp->prec < 0 ? 1 : sp->prec) - (int)(sizeof(digits) - n);
	if (zeros < 0)
		zeros = 0;
	if (sign)
		prefix[plen++] = sign;
	if ((sp->flags & FL_ALT) && base == 8 && zeros == 0)
		zeros = 1;
	if ((sp->flags & FL_ALT) && base == 16 && nonzero) {
		prefix[plen++] = '0';
		prefix[plen++] = upper ? 'X' : 'x';
	}
	fmt_field(o, sp, prefix, plen, zeros, digits + n, sizeof(digits) - n,
		  (sp->flags & FL_ZERO) && sp->prec < 0);
}

static uint64_t fmt_arg_unsigned(va_list *ap, enum fmt_len len)
{
	switch (len) {
	case LEN_HH:
		return (unsigned char)va_arg(*ap, unsigned int);
	case LEN_H:
		return (unsigned short)va_arg(*ap, unsigned int);
	case LEN_L:
		return va_arg(*ap, unsigned long);
	case LEN_LL:
		return va_arg(*ap, unsigned long long);
	case LEN_Z:
		return va_arg(*ap, size_t);
	case LEN_T:
		return (size_t)va_arg(*ap, ptrdiff_t);
	case LEN_J:
		return va_arg(*ap, uintmax_t);
	default:
		return va_arg(*ap, unsigned int);
	}
}

static int64_t fmt_arg_signed(va_list *ap, enum fmt_len len)
{
	switch (len) {
	case LEN_HH:
		return (signed char)va_arg(*ap, int);
	case LEN_H:
		return (short)va_arg(*ap, int);
	case LEN_L:
		return va_arg(*ap, long);
	case LEN_LL:
		return va_arg(*ap, long long);
	case LEN_Z:
		return (ptrdiff_t)va_arg(*ap, size_t);
	case LEN_T:
		return va_arg(*ap, ptrdiff_t);
	case LEN_J:
		return va_arg(*ap, intmax_t);
	default:
		return va_arg(*ap, int);
	}
}

static void fmt_signed(struct fmt_out *o, const struct fmt_spec *sp, int64_t s)
{
	/* -(s + 1) cannot overflow even for INT64_MIN. */
	uint64_t v = s < 0 ? (uint64_t)-(s + 1) + 1 : (uint64_t)s;
	char sign = 0;

	if (s < 0)
		sign = '-';
	else if (sp->flags & FL_PLUS)
		sign = '+';
	else if (sp->flags & FL_SPACE)
		sign = ' ';
	fmt_number(o, sp, v, sign, 10, false);
}

static void fmt_string(struct fmt_out *o, const struct fmt_spec *sp, const char *s)
{
	int n = 0;

	if (!s)
		s = "(null)";
	/* Stop at the precision: the string need not be terminated beyond it. */
	while ((sp->prec < 0 || n < sp->prec) && s[n] && n < INT_LIMIT)
		n++;
	fmt_field(o, sp, "", 0, 0, s, n, false);
}

/* Always "0x" and 16 digits, NULL included, so columns of addresses line up. */
static void fmt_pointer(struct fmt_out *o, const struct fmt_spec *sp, uint64_t v)
{
	char digits[16];

	for (int i = 15; i >= 0; i--, v >>= 4)
		digits[i] = "0123456789abcdef"[v & 0xf];
	fmt_field(o, sp, "0x", 2, 0, digits, sizeof(digits), false);
}

static const char *fmt_parse_length(const char *p, enum fmt_len *len)
{
	*len = LEN_NONE;
	switch (*p) {
	case 'h':
		*len = LEN_H;
		if (*++p == 'h') {
			*len = LEN_HH;
			p++;
		}
		break;
	case 'l':
		*len = LEN_L;
		if (*++p == 'l') {
			*len = LEN_LL;
			p++;
		}
		break;
	case 'z':
		*len = LEN_Z;
		p++;
		break;
	case 't':
		*len = LEN_T;
		p++;
		break;
	case 'j':
		*len = LEN_J;
		p++;
		break;
	}
	return p;
}

/* Parses flags, width, precision and length; returns the conversion char. */
static const char *fmt_parse_spec(const char *p, struct fmt_spec *sp, va_list *ap)
{
	sp->flags = 0;
	for (;; p++) {
		if (*p == '-')
			sp->flags |= FL_LEFT;
		else if (*p == '0')
			sp->flags |= FL_ZERO;
		else if (*p == '+')
			sp->flags |= FL_PLUS;
		else if (*p == ' ')
			sp->flags |= FL_SPACE;
		else if (*p == '#')
			sp->flags |= FL_ALT;
		else
			break;
	}

	if (*p == '*') {
		int w = va_arg(*ap, int);

		p++;
		/* A negative '*' width means '-' plus the magnitude. */
		if (w < 0) {
			sp->flags |= FL_LEFT;
			w = w < -INT_LIMIT ? INT_LIMIT : -w;
		}
		sp->width = w;
	} else {
		sp->width = fmt_atoi(&p);
	}

	sp->prec = -1;
	if (*p == '.') {
		p++;
		if (*p == '*') {
			int pr = va_arg(*ap, int);

			p++;
			/* A negative '*' precision counts as none. */
			sp->prec = pr < 0 ? -1 : pr;
		} else {
			sp->prec = fmt_atoi(&p);
		}
	}
	return fmt_parse_length(p, &sp->len);
}

int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct fmt_out o = { .buf = buf, .size = size, .len = 0 };
	struct fmt_spec sp;
	va_list aq;
	const char *p = fmt;

	/* A local copy can be passed by pointer whatever va_list's type is. */
	va_copy(aq, ap);
	while (*p) {
		const char *start = p;

		if (*p != '%') {
			fmt_putc(&o, *p++);
			continue;
		}
		p = fmt_parse_spec(p + 1, &sp, &aq);
		switch (*p) {
		case 'd':
		case 'i':
			fmt_signed(&o, &sp, fmt_arg_signed(&aq, sp.len));
			break;
		case 'u':
			fmt_number(&o, &sp, fmt_arg_unsigned(&aq, sp.len), 0, 10, false);
			break;
		case 'x':
		case 'X':
			fmt_number(&o, &sp, fmt_arg_unsigned(&aq, sp.len), 0, 16, *p == 'X');
			break;
		case 'o':
			fmt_number(&o, &sp, fmt_arg_unsigned(&aq, sp.len), 0, 8, false);
			break;
		case 'c': {
			char c = (char)va_arg(aq, int);

			fmt_field(&o, &sp, "", 0, 0, &c, 1, false);
			break;
		}
		case 's':
			fmt_string(&o, &sp, va_arg(aq, const char *));
			break;
		case 'p':
			fmt_pointer(&o, &sp, (uintptr_t)va_arg(aq, void *));
			break;
		case '%':
			fmt_putc(&o, '%');
			break;
		default:
			/* Unknown or truncated: show it rather than guess at arguments. */
			fmt_putn(&o, start, (int)(p - start) + (*p ? 1 : 0));
			if (!*p)
				continue;
			break;
		}
		p++;
	}
	va_end(aq);

	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return o.len > INT_LIMIT ? INT_LIMIT : (int)o.len;
}

int ksnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = kvsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return ret;
}
