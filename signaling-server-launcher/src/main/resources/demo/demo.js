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
    signaling: 'disconnected',   // disconnected | connecting | registering | registered | closed
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
    socket.onerror = () => log('error', 'WebSocket error (see the next line for the close code).');
    socket.onclose = (e) => {
      if (ws !== socket) {
        return;
      }
      ws = null;
      show('signaling', 'closed', 'closed (' + e.code + (e.reason ? ' ' + e.reason : '') + ')');
      log('info', 'Signaling connection closed: ' + e.code + (e.reason ? ' ' + e.reason : ''));
      endSession('signaling connection closed');
    };
  }

  async function onFrame(m) {
    switch (m.type) {
      case 'registered':
        show('signaling', 'registered', 'registered as ' + m.id);
        log('info', 'Registered as ' + m.id + '.');
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
        hooks.errors.push({ code: m.code, message: m.message, peer: m.peer, ref: m.ref });
        log('error', 'Server error ' + m.code + ': ' + m.message);
        if (pc && m.peer && m.peer === hooks.peerId && hooks.channel !== 'open') {
          endSession('the server could not reach ' + m.peer + ' (' + m.code + ')');
        }
        break;
      default:
        log('info', 'Ignored a "' + m.type + '" frame.');
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
    const conn = newPeerConnection(peerId);
    attachChannel(conn.createDataChannel(label));
    const offer = await conn.createOffer();
    await conn.setLocalDescription(offer);
    if (conn === pc) {
      signal({ type: 'offer', to: peerId, sdp: conn.localDescription.sdp });
      log('info', 'Calling ' + peerId + '...');
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

  function endSession(reason) {
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
    log('info', 'Session ended: ' + reason + '.');
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

  async function showRoute() {
    const pair = await selectedCandidatePair();
    if (pair && pair.local && pair.remote) {
      $('route').textContent = pair.local.protocol + ' ' + pair.local.address + ':' + pair.local.port + ' (' +
        pair.local.candidateType + ') \u2194 ' + pair.remote.address + ':' + pair.remote.port + ' (' +
        pair.remote.candidateType + ')';
    }
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
