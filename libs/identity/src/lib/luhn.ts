const NINE_DIGITS = /^[0-9]{9}$/;

/**
 * The check digit of a Swedish identity number from its nine digits before it (YYMMDDNNN, the
 * 2-digit year form even when the number is written with 12 digits): weights 2,1,2,1,..., the
 * digits of each product summed, then the amount that brings the total to a multiple of ten.
 */
export function luhnCheckDigit(nineDigits: string): number {
  if (typeof nineDigits !== 'string' || !NINE_DIGITS.test(nineDigits)) {
    throw new RangeError(`Expected exactly nine digits, got '${String(nineDigits)}'`);
  }
  let sum = 0;
  for (let index = 0; index < 9; index++) {
    const product = Number(nineDigits[index]) * (index % 2 === 0 ? 2 : 1);
    // A product is at most 18, so its digit sum is the product minus 9 when it has two digits.
    sum += product > 9 ? product - 9 : product;
  }
  return (10 - (sum % 10)) % 10;
}
