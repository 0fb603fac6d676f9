/** Entry: one store, one RoomClient, one React root. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './i18n/index.js';
import './styles.css';
import { App } from './App.js';
import { RoomClient } from './RoomClient.js';
import { createStore } from './store.js';
import { RoomClientProvider } from './ui/context.js';

const container = document.getElementById('root');
if (container === null) throw new TypeError('index.html has no #root');

const client = new RoomClient(createStore());

createRoot(container).render(
  <StrictMode>
    <RoomClientProvider client={client}>
      <App />
    </RoomClientProvider>
  </StrictMode>,
);
