import { defineConfig } from 'vite';

// No React plugin: esbuild's automatic JSX runtime is all this small UI needs.
export default defineConfig({
  root: __dirname,
  base: '/',
  esbuild: { jsx: 'automatic' },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false },
});
