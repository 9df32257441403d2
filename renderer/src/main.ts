import './zod-config';
import { mount } from 'svelte';
import App from './App.svelte';
import { connectToCore } from './api/topicscope-api';
import './app.css';

mount(App, { target: document.getElementById('app')!, props: connectToCore() });
