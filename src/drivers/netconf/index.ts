export { connectNetconf, type NetconfConnectOptions } from './connect.js';
export { encodeChunked, encodeEom, encodeMessage, FramingError, MessageReader, type Framing } from './framing.js';
export { buildClientHello, CAP_BASE_1_0, CAP_BASE_1_1, negotiateFraming, parseServerHello, type ServerHello } from './hello.js';
export {
  collectErrors,
  describeRpcError,
  parseRpcReply,
  replyInnerXml,
  ReplyParseError,
  type RpcError,
  type RpcErrorSeverity,
  type RpcReply,
} from './reply.js';
export { NetconfSession, type ByteStream, type RpcOptions, type SessionOptions } from './session.js';
export { NETCONF_PORT, openSshNetconfChannel, translateSshError, type SshTransportOptions } from './ssh-transport.js';
export { escapeXmlAttr, escapeXmlText, findNonXmlChar, NonXmlCharError } from './xml-text.js';
export { attr, child, children, findAll, parseXml, path, text, type XmlNode } from './xml-tree.js';
