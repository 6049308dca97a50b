// Data channel chat through the signaling server. Plain browser JavaScript, no build step.
//
// Protocol (the server's): connect to /ws/{id}, send {type:"register", id}, wait for "registered";
// then offer/answer/candidate/bye frames carry a "to" and arrive with a "from" the server stamped.
//
// For tests, window.demo exposes the state, the messages, and send/call/hangUp functions.
'use strict';

(() => {
  const $ = (id) => document.getElementById(id);
  const params = new URLSearchParams(location.search);

  const hooks = {
    signaling: 'disconnected',   // disconnected | connecting | registering | registered | reconnecting | closed
    peer: 'none',                // none | an RTCPeerConnection.connectionState | closed
    channel: 'none',             // none | connecting | open | closing | closed
    peerId: null,                // who the current (or last) session is with
    closeReason: null,           // why the last session ended
    messages: [],                // {from, text} as received on the data channel
    errors: [],                  // {code, message, peer, ref} from the server's error frames
    byes: [],                    // every bye frame received, as sent by the server
  };

  let ws = null;
  let pc = null;
  let channel = null;
  let pendingCandidates = [];
  let absentPeer = null;        // the peer last found not online: its other bounced frames say nothing new
  let reconnect = null;         // {id, attempt, timer} while coming back after a server-shutdown

  // --- display ---------------------------------------------------------------------------------

  function log(kind, text) {
    const p = document.createElement('p');
    p.className = kind;
    p.textContent = text;
    $('log').appendChild(p);
    $('log').scrollTop = $('log').scrollHeight;
  }

  function show(kind, value, text) {
    hooks[kind] = value;
    $(kind + 'State').textContent = text || value;
    refreshButtons();
  }

  function refreshButtons() {
    const registered = hooks.signaling === 'registered';
    // Connect stays usable while reconnecting, to try again at once.
    $('connect').disabled = hooks.signaling === 'connecting' || hooks.signaling === 'registering' || registered;
    $('call').disabled = !registered || pc !== null;
    $('hangup').disabled = pc === null;
    const open = hooks.channel === 'open';
    $('text').disabled = !open;
    $('send').disabled = !open;
  }

  function defaultServer() {
    if (!location.host) {
      return 'ws://localhost:8000/ws/';
    }
    return (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws/';
  }

  // --- signaling -------------------------------------------------------------------------------

  function signal(frame) {
    if (ws && ws.readyState === WebSocket.OPEN) {
      ws.send(JSON.stringify(frame));
    }
  }

  function connect() {
    if (reconnect && reconnect.timer) {
      clearTimeout(reconnect.timer);
      reconnect.timer = null;
    }
    const me = $('me').value.trim();
    if (!me) {
      log('error', 'Enter your id first.');
      return;
    }
    let base = $('server').value.trim() || defaultServer();
    if (!base.endsWith('/')) {
      base += '/';
    }
    const socket = new WebSocket(base + encodeURIComponent(me));
    ws = socket;
    show('signaling', 'connecting', 'connecting to ' + base + me);
    socket.onopen = () => {
      socket.send(JSON.stringify({ type: 'register', id: me }));
      show('signaling', 'registering');
    };
    socket.onmessage = (e) => {
      let frame;
      try {
        frame = JSON.parse(e.data);
      } catch (err) {
        log('error', 'Unreadable frame from the server: ' + e.data);
        return;
      }
      onFrame(frame).catch((err) => log('error', 'Could not handle ' + frame.type + ': ' + err));
    };
    socket.onerror = () => {
      if (!reconnect) {   // while reconnecting, a server still down is expected: the retry line says it
        log('error', 'WebSocket error (see the next line for the close code).');
      }
    };
    socket.onclose = (e) => {
      if (ws !== socket) {
        return;
      }
      ws = null;
      endSession('signaling connection closed');
      if (reconnect) {
        scheduleReconnect();
        return;
      }
      show('signaling', 'closed', 'closed (' + e.code + (e.reason ? ' ' + e.reason : '') + ')');
      log('info', 'Signaling connection closed: ' + e.code + (e.reason ? ' ' + e.reason : ''));
    };
  }

  // After a server-shutdown: try again after 1, 2, 4, 8 s, then every 10 s, until registered again.
  function scheduleReconnect() {
    const delay = Math.min(1000 * 2 ** reconnect.attempt, 10000);
    reconnect.attempt++;
    show('signaling', 'reconnecting', 'reconnecting in ' + delay / 1000 + ' s');
    log('info', 'Reconnecting as ' + reconnect.id + ' in ' + delay / 1000 + ' s (attempt ' + reconnect.attempt + ').');
    reconnect.timer = setTimeout(() => {
      reconnect.timer = null;
      $('me').value = reconnect.id;
      connect();
    }, delay);
  }

  // The server refused the register (the id is taken, invalid, ...): this connection can never
  // register another id, so close it quietly and let the user change the id and connect again.
  function refusedRegistration(m) {
    const socket = ws;
    ws = null;
    reconnect = null;
    if (socket) {
      socket.close(1000, 'register refused');
    }
    const id = $('me').value.trim();
    show('signaling', 'disconnected', m.code === 'id-taken' ? 'id "' + id + '" is taken' : 'refused (' + m.code + ')');
    log('error', m.code === 'id-taken'
      ? 'The id "' + id + '" is taken by another connection. Choose another id and press Connect.'
      : 'The server refused the id "' + id + '": ' + m.message + ' (' + m.code + ').');
    $('me').focus();
  }

  async function onFrame(m) {
    switch (m.type) {
      case 'registered':
        show('signaling', 'registered', 'registered as ' + m.id);
        log('info', (reconnect ? 'Reconnected and registered as ' : 'Registered as ') + m.id + '.');
        reconnect = null;
        break;
      case 'server-shutdown':
        log('info', 'The server is shutting down; this page reconnects as soon as it is back.');
        reconnect = { id: $('me').value.trim(), attempt: 0, timer: null };
        break;
      case 'offer':
        await onOffer(m);
        break;
      case 'answer':
        if (pc && m.from === hooks.peerId) {
          const conn = pc;
          await conn.setRemoteDescription({ type: 'answer', sdp: m.sdp });
          if (conn === pc) {
            flushCandidates();
          }
        }
        break;
      case 'candidate':
        onCandidate(m);
        break;
      case 'bye':
        hooks.byes.push(m);
        if (pc && m.from === hooks.peerId) {
          endSession(m.from + (m.reason ? ' left (' + m.reason + ')' : ' hung up'));
        }
        break;
      case 'error':
        onError(m);
        break;
      default:
        log('info', 'Ignored a "' + m.type + '" frame.');
    }
  }

  function onError(m) {
    hooks.errors.push({ code: m.code, message: m.message, peer: m.peer, ref: m.ref });
    if (hooks.signaling === 'registering' && (m.ref === 'register' || m.code === 'id-taken')) {
      refusedRegistration(m);
      return;
    }
    const absent = m.code === 'delivery-expired' || m.code === 'peer-not-found';
    if (absent && m.peer && m.peer === absentPeer) {
      return;   // the offer's bounce said it already; its candidates bounce too
    }
    if (absent && m.peer) {
      absentPeer = m.peer;
      log('error', m.peer + ' is not online.');
      if (pc && m.peer === hooks.peerId) {
        endSession(m.peer + ' is not online', true);
      }
      return;
    }
    log('error', 'Server error ' + m.code + ': ' + m.message);
    if (pc && m.peer && m.peer === hooks.peerId && hooks.channel !== 'open') {
      endSession('the server could not reach ' + m.peer + ' (' + m.code + ')');
    }
  }

  // --- WebRTC ----------------------------------------------------------------------------------

  function newPeerConnection(peerId) {
    // No STUN or TURN servers: host candidates only, which is what a loopback test needs.
    const conn = new RTCPeerConnection({ iceServers: [] });
    pc = conn;
    pendingCandidates = [];
    hooks.peerId = peerId;
    hooks.closeReason = null;
    conn.onicecandidate = (e) => {
      if (conn === pc && e.candidate) {
        signal({ type: 'candidate', to: peerId, candidate: e.candidate.toJSON() });
      }
    };
    conn.onconnectionstatechange = () => {
      if (conn !== pc) {
        return;
      }
      show('peer', conn.connectionState);
      if (conn.connectionState === 'connected') {
        showRoute();
      } else if (conn.connectionState === 'failed') {
        endSession('ICE failed: no candidate pair worked');
      }
    };
    conn.ondatachannel = (e) => {
      if (conn === pc) {
        attachChannel(e.channel);
      }
    };
    show('peer', conn.connectionState);
    return conn;
  }

  function attachChannel(dc) {
    channel = dc;
    show('channel', dc.readyState, dc.readyState + ' (' + dc.label + ')');
    dc.onopen = () => {
      if (dc !== channel) {
        return;
      }
      show('channel', 'open', 'open (' + dc.label + ')');
      log('info', 'Data channel "' + dc.label + '" open with ' + hooks.peerId + '.');
      $('text').focus();
    };
    dc.onmessage = (e) => {
      if (dc !== channel) {
        return;
      }
      const text = typeof e.data === 'string' ? e.data : '[' + (e.data.byteLength || e.data.size) + ' binary bytes]';
      hooks.messages.push({ from: hooks.peerId, text });
      log('peer', hooks.peerId + ': ' + text);
    };
    dc.onclose = () => {
      if (dc !== channel) {
        return;
      }
      show('channel', 'closed');
      endSession('the data channel closed');
    };
  }

  async function call() {
    const peerId = $('peer').value.trim();
    if (!peerId) {
      log('error', 'Enter the peer id first.');
      return;
    }
    const label = $('label').value.trim() || 'mvp';
    absentPeer = null;
    const conn = newPeerConnection(peerId);
    attachChannel(conn.createDataChannel(label));
    const offer = await conn.createOffer();
    await conn.setLocalDescription(offer);
    if (conn === pc) {
      signal({ type: 'offer', to: peerId, sdp: conn.localDescription.sdp });
      log('info', 'Calling ' + peerId + '... (if ' + peerId + ' is not connected yet, the server waits a few' +
        ' seconds for it)');
    }
  }

  async function onOffer(m) {
    if (pc && m.from !== hooks.peerId) {
      log('info', 'Busy: refused a call from ' + m.from + '.');
      signal({ type: 'bye', to: m.from });
      return;
    }
    if (pc) {
      endSession('replaced by a new offer from ' + m.from);
    }
    $('peer').value = m.from;
    if (absentPeer === m.from) {
      absentPeer = null;
    }
    log('info', m.from + ' is calling; answering.');
    const conn = newPeerConnection(m.from);
    await conn.setRemoteDescription({ type: 'offer', sdp: m.sdp });
    if (conn !== pc) {
      return;
    }
    flushCandidates();
    const answer = await conn.createAnswer();
    await conn.setLocalDescription(answer);
    if (conn === pc) {
      signal({ type: 'answer', to: m.from, sdp: conn.localDescription.sdp });
    }
  }

  function onCandidate(m) {
    if (!pc || m.from !== hooks.peerId) {
      return;
    }
    const c = m.candidate;
    if (!c || !c.candidate) {
      return;   // end of candidates: nothing to add
    }
    if (!pc.remoteDescription) {
      pendingCandidates.push(c);
      return;
    }
    pc.addIceCandidate(c).catch((err) => log('error', 'Bad candidate from ' + m.from + ': ' + err));
  }

  function flushCandidates() {
    const waiting = pendingCandidates;
    pendingCandidates = [];
    for (const c of waiting) {
      pc.addIceCandidate(c).catch((err) => log('error', 'Bad candidate: ' + err));
    }
  }

  // Ends the current session; quiet when the reason was already told in a line of its own.
  function endSession(reason, quiet) {
    if (!pc) {
      return;
    }
    const conn = pc;
    const dc = channel;
    pc = null;
    channel = null;
    pendingCandidates = [];
    if (dc) {
      dc.close();
    }
    conn.close();
    hooks.closeReason = reason;
    show('channel', 'closed');
    show('peer', 'closed');
    $('route').textContent = '-';
    if (!quiet) {
      log('info', 'Session ended: ' + reason + '.');
    }
  }

  function hangUp() {
    if (!pc) {
      return;
    }
    signal({ type: 'bye', to: hooks.peerId });
    endSession('you hung up');
  }

  function send(text) {
    if (!channel || channel.readyState !== 'open') {
      return false;
    }
    channel.send(text);
    log('me', 'me: ' + text);
    return true;
  }

  async function selectedCandidatePair() {
    if (!pc) {
      return null;
    }
    const stats = await pc.getStats();
    let pair = null;
    stats.forEach((s) => {
      if (s.type === 'transport' && s.selectedCandidatePairId) {
        pair = stats.get(s.selectedCandidatePairId) || pair;
      }
    });
    if (!pair) {
      stats.forEach((s) => {
        if (s.type === 'candidate-pair' && s.nominated && s.state === 'succeeded') {
          pair = s;
        }
      });
    }
    if (!pair) {
      return null;
    }
    const describe = (c) => c && {
      address: c.address || c.ip,
      port: c.port,
      protocol: c.protocol,
      candidateType: c.candidateType,
    };
    return {
      state: pair.state,
      local: describe(stats.get(pair.localCandidateId)),
      remote: describe(stats.get(pair.remoteCandidateId)),
    };
  }

  // One end of the route as far as the browser tells it. Chromium hides the address of a
  // peer-reflexive (prflx) candidate: the peer's checks arrived before its candidate did.
  function describeEnd(c) {
    const address = c.address || 'unknown address';
    const port = c.port === undefined || c.port === null ? 'unknown port' : c.port;
    const type = c.candidateType || 'unknown type';
    const hidden = c.address ? '' : ', address hidden by the browser';
    return address + ':' + port + ' (' + type + hidden + ')';
  }

  async function showRoute() {
    const conn = pc;
    const pair = await selectedCandidatePair();
    if (conn !== pc) {
      return;
    }
    if (!pair || !pair.local || !pair.remote) {
      $('route').textContent = 'unknown (the browser reports no selected candidate pair yet)';
      return;
    }
    $('route').textContent = (pair.local.protocol || 'unknown protocol') + ' ' + describeEnd(pair.local) +
      ' \u2194 ' + describeEnd(pair.remote);
  }

  // --- wiring ----------------------------------------------------------------------------------

  $('me').value = params.get('id') || '';
  $('peer').value = params.get('peer') || '';
  $('label').value = params.get('label') || 'mvp';
  $('server').value = params.get('server') || defaultServer();
  $('connect').onclick = connect;
  $('call').onclick = () => call().catch((err) => log('error', 'Call failed: ' + err));
  $('hangup').onclick = hangUp;
  $('chat').onsubmit = (e) => {
    e.preventDefault();
    if (send($('text').value)) {
      $('text').value = '';
    }
  };
  refreshButtons();

  window.demo = {
    get state() {
      return {
        signaling: hooks.signaling, peer: hooks.peer, channel: hooks.channel,
        peerId: hooks.peerId, closeReason: hooks.closeReason,
      };
    },
    get messages() { return hooks.messages.slice(); },
    get errors() { return hooks.errors.slice(); },
    get byes() { return hooks.byes.slice(); },
    get log() { return Array.from($('log').children, (p) => p.className + ': ' + p.textContent); },
    get route() { return $('route').textContent; },
    lastMessage: () => (hooks.messages.length ? hooks.messages[hooks.messages.length - 1] : null),
    connect,
    call: () => call(),
    hangUp,
    send,
    // Sends a raw frame to the server, e.g. a bye without closing this side, to test the peer.
    signal,
    selectedCandidatePair,
  };
})();
