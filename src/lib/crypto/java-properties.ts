/**
 * Java `.properties` files as `java.util.Properties.load(InputStream)` reads them: ISO-8859-1
 * bytes, `=`/`:`/whitespace separators, backslash escapes including `\uXXXX`, line
 * continuations, `#`/`!` comments, last occurrence wins. The parsing itself is the
 * properties-file package (checked against the JDK in the tests); this module fixes the
 * byte decoding, which is what `load(InputStream)` does and a UTF-8 reader would get wrong.
 */
import {getProperties} from 'properties-file'

export function parseJavaProperties(content: Buffer | string): Record<string, string> {
  const text = typeof content === 'string' ? content : content.toString('latin1')
  try {
    return getProperties(text)
  } catch (error) {
    // Only a malformed \uXXXX escape makes it throw, as it makes Java throw.
    throw new SyntaxError(`malformed properties file: ${(error as Error).message}`)
  }
}
