// The web inspector's entry (SPEC.md "Web inspector"): the page holds no data until this
// script opens the stream with the token from the page's own fragment.
import { render } from 'preact';
import { App } from './App.js';
import { streamUrlOf } from './socket.js';

const root = document.getElementById('app') as HTMLElement;
const streamUrl = streamUrlOf(window.location);
if (streamUrl) {
  root.textContent = '';
  render(<App streamUrl={streamUrl} />, root);
} else {
  root.innerHTML = '';
  const p = document.createElement('p');
  p.className = 'boot';
  p.textContent = 'This page needs the token: open the uiUrl the listener prints (it ends in #token=...).';
  root.append(p);
}
