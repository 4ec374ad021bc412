export { YamlSource, fieldPath } from '../../generators/model/yaml-source.js';
