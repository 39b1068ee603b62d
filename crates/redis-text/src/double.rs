//! How Redis 7.2 writes a double (a sorted-set score) as text.
//!
//! Redis replies with scores as bulk strings made by `d2string`: `inf`, `-inf`, `nan`,
//! `0` and `-0` by name; integral values up to 2^62 as plain integers; anything else as
//! the shortest decimal that reads back to the same double, in plain notation when the
//! exponent is small (`0.1`, `1.5`, `0.00001`) and in scientific notation otherwise
//! (`1e+21`, `1e-7`, `1.2345678901234567e+62`). Redis 7.0 and older used `%.17g` instead
//! (`0.10000000000000001`); the simulated server follows 7.2.
//!
//! Redis finds the digits with Grisu2, which in rare cases gives a longer digit string than
//! the shortest one used here; both read back to the same double.

/// Formats a score as Redis 7.2 does in `ZRANGE ... WITHSCORES` and `ZSCAN` replies.
///
/// ```
/// use redis_text::format_double;
/// assert_eq!(format_double(2.0), "2");
/// assert_eq!(format_double(0.1), "0.1");
/// assert_eq!(format_double(1e21), "1e+21");
/// assert_eq!(format_double(f64::NEG_INFINITY), "-inf");
/// ```
pub fn format_double(value: f64) -> String {
    if value.is_nan() {
        return "nan".to_string();
    }
    if value.is_infinite() {
        let name = if value < 0.0 { "-inf" } else { "inf" };
        return name.to_string();
    }
    if value == 0.0 {
        let name = if value.is_sign_negative() { "-0" } else { "0" };
        return name.to_string();
    }
    if let Some(integer) = as_small_integer(value) {
        return integer.to_string();
    }

    let sign = if value < 0.0 { "-" } else { "" };
    let (digits, exponent) = shortest_digits(value.abs());
    format!("{sign}{}", place_digits(&digits, exponent))
}

/// The value as an integer when it is one and within ±2^62, where Redis prints it so.
fn as_small_integer(value: f64) -> Option<i64> {
    // Redis compares against LLONG_MAX / 2, which as a double is exactly 2^62.
    let limit = (i64::MAX / 2) as f64;
    let integral = value.fract() == 0.0 && (-limit..=limit).contains(&value);
    // The range check above keeps the cast exact.
    integral.then_some(value as i64)
}

/// The shortest round-trip digits of a positive finite value, and the power of ten of
/// its last digit (`1.5` gives `("15", -1)`).
fn shortest_digits(value: f64) -> (String, i32) {
    let scientific = format!("{value:e}");
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let last_digit_power = exponent - (digits.len() as i32 - 1);
    (digits, last_digit_power)
}

/// Lays out `digits` times ten to `power` the way Redis's `fpconv` does.
fn place_digits(digits: &str, power: i32) -> String {
    let count = digits.len() as i32;
    let exponent = power + count - 1;
    let magnitude = exponent.abs();

    if power >= 0 && magnitude < count + 7 {
        return format!("{digits}{}", "0".repeat(power as usize));
    }
    if power < 0 && (power > -7 || magnitude < 4) {
        let point = count + power;
        if point <= 0 {
            return format!("0.{}{digits}", "0".repeat((-point) as usize));
        }
        let (whole, fraction) = digits.split_at(point as usize);
        return format!("{whole}.{fraction}");
    }

    let (first, rest) = digits.split_at(1);
    let dot = if rest.is_empty() { "" } else { "." };
    let sign = if exponent < 0 { '-' } else { '+' };
    format!("{first}{dot}{rest}e{sign}{magnitude}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn special_values_by_name() {
        assert_eq!(format_double(f64::NAN), "nan");
        assert_eq!(format_double(f64::INFINITY), "inf");
        assert_eq!(format_double(-0.0), "-0");
        assert_eq!(format_double(0.0), "0");
    }

    #[test]
    fn integers_up_to_two_to_the_62() {
        assert_eq!(format_double(-3.0), "-3");
        assert_eq!(format_double(1e17), "100000000000000000");
        assert_eq!(format_double(4611686018427387904.0), "4611686018427387904");
    }

    #[test]
    fn fractions_in_plain_notation_when_small() {
        assert_eq!(format_double(1.5), "1.5");
        assert_eq!(format_double(-0.25), "-0.25");
        assert_eq!(format_double(1e-5), "0.00001");
        assert_eq!(format_double(3e-4), "0.0003");
        assert_eq!(format_double(123.456), "123.456");
        assert_eq!(format_double(0.12345678), "0.12345678");
    }

    #[test]
    fn scientific_notation_for_large_and_tiny() {
        assert_eq!(format_double(1e21), "1e+21");
        assert_eq!(format_double(1e-7), "1e-7");
        assert_eq!(format_double(-2.5e-8), "-2.5e-8");
        assert_eq!(
            format_double(1.7976931348623157e308),
            "1.7976931348623157e+308"
        );
        assert_eq!(format_double(9.3e18), "9.3e+18");
    }

    #[test]
    fn every_output_reads_back_to_the_same_double() {
        for value in [
            0.1,
            1.0 / 3.0,
            2.0f64.sqrt() * 1e30,
            6.02214076e23,
            -1e-300,
            5e-324,
        ] {
            let text = format_double(value);
            assert_eq!(text.parse::<f64>().ok(), Some(value), "{text}");
        }
    }
}
