// Mantine's PostCSS preset: light-dark(), rem() and mixins, for the CSS modules under src/web.
module.exports = {
  plugins: {
    "postcss-preset-mantine": {},
  },
};
