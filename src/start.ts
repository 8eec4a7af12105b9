// What `npm start` runs. Loading the site's modules (several hundred files, its own and its dependencies')
// was most of a restart's CPU: Node's compile cache keeps the compiled code on disk (in the system's temp
// folder) so a restart loads it instead of compiling again. It must be on before those modules load, hence
// this entry, which then loads the site.
// A default import: Node before 22.8 has no such function, and main.js then says which Node it needs.
import module from 'node:module';

module.enableCompileCache?.();
await import('./main.js');
