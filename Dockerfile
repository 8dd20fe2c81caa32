# A small static image of reesim for clusters (docs/SCALE-OUT.md):
#   docker build -t REGISTRY/reesim:TAG --build-arg COMMIT=$(git rev-parse --short HEAD) .
# The binary is built without cgo, so it needs no C library; the image is
# distroless/static (CA certificates for https S3 endpoints, /tmp, a
# non-root user) and weighs a few tens of MB, most of it reesim itself.
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG COMMIT=unknown
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.commitHash=${COMMIT}" -o /out/reesim ./cmd/reesim

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/reesim /usr/local/bin/reesim
WORKDIR /work
ENTRYPOINT ["/usr/local/bin/reesim"]
CMD ["help"]
