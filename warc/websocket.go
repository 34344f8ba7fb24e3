package warc

// WebSocketMessagesType is the Content-Type of the resource record in which
// warcbox's browser capture keeps a WebSocket's frames, one JSON object a
// line ({"time","dir","opcode","fin","data","base64","length","cut"}),
// concurrent to the handshake's 101 response and under the same ws:// or
// wss:// URL. capture writes it; replay plays it back.
const WebSocketMessagesType = "application/x-warcbox-websocket-messages+jsonl"
