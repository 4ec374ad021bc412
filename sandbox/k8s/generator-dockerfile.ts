/**
 * The Dockerfile of the generators' image: obs-sandbox installed from its npm package (a tarball beside the
 * Dockerfile), run as the image's non-root `node` user.
 */
export function generatorDockerfile(version: string, image: string): string {
  const tarball = `obs-sandbox-${version}.tgz`;
  return `# The generators' image that statefulset.yaml runs (${image}). Build it beside this file:
#   npm pack obs-sandbox@${version} --pack-destination .   (or, in a checkout of obs-sandbox: npm pack --pack-destination <this directory>)
#   docker build -t ${image} .
# push it where the cluster pulls images from, or render with --image <registry>/obs-sandbox:${version}.
FROM node:20-bookworm-slim
COPY ${tarball} /tmp/
RUN npm install --global --omit=dev /tmp/${tarball} && npm cache clean --force && rm /tmp/${tarball}
USER node
ENTRYPOINT ["sandbox"]
CMD ["generate"]
`;
}
